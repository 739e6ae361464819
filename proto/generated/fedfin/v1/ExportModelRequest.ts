// Original file: proto/fedfin/v1/admin.proto


export interface ExportModelRequest {
  'job_id'?: (string);
  'round'?: (number);
}

export interface ExportModelRequest__Output {
  'job_id': (string);
  'round': (number);
}
