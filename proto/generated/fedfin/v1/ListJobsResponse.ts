// Original file: proto/fedfin/v1/admin.proto

import type { JobSummary as _fedfin_v1_JobSummary, JobSummary__Output as _fedfin_v1_JobSummary__Output } from '../../fedfin/v1/JobSummary.js';

export interface ListJobsResponse {
  'jobs'?: (_fedfin_v1_JobSummary)[];
}

export interface ListJobsResponse__Output {
  'jobs': (_fedfin_v1_JobSummary__Output)[];
}
