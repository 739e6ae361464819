// Original file: proto/fedfin/v1/fleet.proto

import type { ResultHeader as _fedfin_v1_ResultHeader, ResultHeader__Output as _fedfin_v1_ResultHeader__Output } from '../../fedfin/v1/ResultHeader.js';
import type { TensorChunk as _fedfin_v1_TensorChunk, TensorChunk__Output as _fedfin_v1_TensorChunk__Output } from '../../fedfin/v1/TensorChunk.js';

export interface PushResultMessage {
  'header'?: (_fedfin_v1_ResultHeader | null);
  'chunk'?: (_fedfin_v1_TensorChunk | null);
  'part'?: "header"|"chunk";
}

export interface PushResultMessage__Output {
  'header'?: (_fedfin_v1_ResultHeader__Output | null);
  'chunk'?: (_fedfin_v1_TensorChunk__Output | null);
  'part'?: "header"|"chunk";
}
