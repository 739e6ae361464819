// Original file: proto/fedfin/v1/admin.proto

import type { TensorHeader as _fedfin_v1_TensorHeader, TensorHeader__Output as _fedfin_v1_TensorHeader__Output } from '../../fedfin/v1/TensorHeader.js';
import type { Long } from '@grpc/proto-loader';

export interface ModelExportHeader {
  'metadata_json'?: (string);
  'headers'?: (_fedfin_v1_TensorHeader)[];
  'total_bytes'?: (number | string | Long);
}

export interface ModelExportHeader__Output {
  'metadata_json': (string);
  'headers': (_fedfin_v1_TensorHeader__Output)[];
  'total_bytes': (number);
}
