// Original file: proto/fedfin/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

export interface TailAuditRequest {
  'after_seq'?: (number | string | Long);
  'last'?: (number);
  'limit'?: (number);
}

export interface TailAuditRequest__Output {
  'after_seq': (number);
  'last': (number);
  'limit': (number);
}
