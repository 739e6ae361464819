// Original file: proto/fedfin/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

export interface AuditEntry {
  'seq'?: (number | string | Long);
  'at'?: (string);
  'type'?: (string);
  'job_id'?: (string);
  'member_id'?: (string);
  'actor'?: (string);
  'detail_json'?: (string);
  'prev_hash'?: (string);
  'hash'?: (string);
  'signature'?: (string);
}

export interface AuditEntry__Output {
  'seq': (number);
  'at': (string);
  'type': (string);
  'job_id': (string);
  'member_id': (string);
  'actor': (string);
  'detail_json': (string);
  'prev_hash': (string);
  'hash': (string);
  'signature': (string);
}
