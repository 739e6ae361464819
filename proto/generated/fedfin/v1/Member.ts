// Original file: proto/fedfin/v1/admin.proto


export interface Member {
  'member_id'?: (string);
  'status'?: (string);
  'last_seen'?: (string);
  'tf_backend'?: (string);
  'accepted_tasks'?: (string)[];
}

export interface Member__Output {
  'member_id': (string);
  'status': (string);
  'last_seen': (string);
  'tf_backend': (string);
  'accepted_tasks': (string)[];
}
