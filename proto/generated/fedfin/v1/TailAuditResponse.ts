// Original file: proto/fedfin/v1/admin.proto

import type { AuditEntry as _fedfin_v1_AuditEntry, AuditEntry__Output as _fedfin_v1_AuditEntry__Output } from '../../fedfin/v1/AuditEntry.js';
import type { Long } from '@grpc/proto-loader';

export interface TailAuditResponse {
  'entries'?: (_fedfin_v1_AuditEntry)[];
  'chain_ok'?: (boolean);
  'chain_problem'?: (string);
  'last_seq'?: (number | string | Long);
}

export interface TailAuditResponse__Output {
  'entries': (_fedfin_v1_AuditEntry__Output)[];
  'chain_ok': (boolean);
  'chain_problem': (string);
  'last_seq': (number);
}
