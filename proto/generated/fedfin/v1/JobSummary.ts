// Original file: proto/fedfin/v1/admin.proto


export interface JobSummary {
  'job_id'?: (string);
  'name'?: (string);
  'task'?: (string);
  'status'?: (string);
  'rounds_total'?: (number);
  'rounds_done'?: (number);
  'created_at'?: (string);
  'reason'?: (string);
}

export interface JobSummary__Output {
  'job_id': (string);
  'name': (string);
  'task': (string);
  'status': (string);
  'rounds_total': (number);
  'rounds_done': (number);
  'created_at': (string);
  'reason': (string);
}
