// Original file: proto/fedfin/v1/fleet.proto

import type { TensorHeader as _fedfin_v1_TensorHeader, TensorHeader__Output as _fedfin_v1_TensorHeader__Output } from '../../fedfin/v1/TensorHeader.js';
import type { TensorChunk as _fedfin_v1_TensorChunk, TensorChunk__Output as _fedfin_v1_TensorChunk__Output } from '../../fedfin/v1/TensorChunk.js';

export interface ModelChunk {
  'headers'?: (_fedfin_v1_TensorHeader)[];
  'chunk'?: (_fedfin_v1_TensorChunk | null);
}

export interface ModelChunk__Output {
  'headers': (_fedfin_v1_TensorHeader__Output)[];
  'chunk': (_fedfin_v1_TensorChunk__Output | null);
}
