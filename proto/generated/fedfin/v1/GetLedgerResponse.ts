// Original file: proto/fedfin/v1/admin.proto

import type { LedgerRow as _fedfin_v1_LedgerRow, LedgerRow__Output as _fedfin_v1_LedgerRow__Output } from '../../fedfin/v1/LedgerRow.js';

export interface GetLedgerResponse {
  'rows'?: (_fedfin_v1_LedgerRow)[];
}

export interface GetLedgerResponse__Output {
  'rows': (_fedfin_v1_LedgerRow__Output)[];
}
