// Original file: proto/fedfin/v1/admin.proto


export interface GetLedgerRequest {
  'job_id'?: (string);
  'member_id'?: (string);
}

export interface GetLedgerRequest__Output {
  'job_id': (string);
  'member_id': (string);
}
