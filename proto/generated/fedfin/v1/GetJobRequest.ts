// Original file: proto/fedfin/v1/admin.proto


export interface GetJobRequest {
  'job_id'?: (string);
}

export interface GetJobRequest__Output {
  'job_id': (string);
}
