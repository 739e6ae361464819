// Original file: proto/fedfin/v1/admin.proto

import type { JobSummary as _fedfin_v1_JobSummary, JobSummary__Output as _fedfin_v1_JobSummary__Output } from '../../fedfin/v1/JobSummary.js';
import type { RoundSummary as _fedfin_v1_RoundSummary, RoundSummary__Output as _fedfin_v1_RoundSummary__Output } from '../../fedfin/v1/RoundSummary.js';

export interface JobDetail {
  'summary'?: (_fedfin_v1_JobSummary | null);
  'spec_json'?: (string);
  'rounds'?: (_fedfin_v1_RoundSummary)[];
}

export interface JobDetail__Output {
  'summary': (_fedfin_v1_JobSummary__Output | null);
  'spec_json': (string);
  'rounds': (_fedfin_v1_RoundSummary__Output)[];
}
