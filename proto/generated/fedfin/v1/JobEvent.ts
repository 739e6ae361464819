// Original file: proto/fedfin/v1/admin.proto

import type { JobSummary as _fedfin_v1_JobSummary, JobSummary__Output as _fedfin_v1_JobSummary__Output } from '../../fedfin/v1/JobSummary.js';
import type { RoundSummary as _fedfin_v1_RoundSummary, RoundSummary__Output as _fedfin_v1_RoundSummary__Output } from '../../fedfin/v1/RoundSummary.js';

export interface JobEvent {
  'kind'?: (string);
  'summary'?: (_fedfin_v1_JobSummary | null);
  'round'?: (_fedfin_v1_RoundSummary | null);
  'round_started'?: (number);
}

export interface JobEvent__Output {
  'kind': (string);
  'summary': (_fedfin_v1_JobSummary__Output | null);
  'round': (_fedfin_v1_RoundSummary__Output | null);
  'round_started': (number);
}
