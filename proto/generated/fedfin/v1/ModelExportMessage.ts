// Original file: proto/fedfin/v1/admin.proto

import type { ModelExportHeader as _fedfin_v1_ModelExportHeader, ModelExportHeader__Output as _fedfin_v1_ModelExportHeader__Output } from '../../fedfin/v1/ModelExportHeader.js';
import type { TensorChunk as _fedfin_v1_TensorChunk, TensorChunk__Output as _fedfin_v1_TensorChunk__Output } from '../../fedfin/v1/TensorChunk.js';

export interface ModelExportMessage {
  'header'?: (_fedfin_v1_ModelExportHeader | null);
  'chunk'?: (_fedfin_v1_TensorChunk | null);
  'body'?: "header"|"chunk";
}

export interface ModelExportMessage__Output {
  'header'?: (_fedfin_v1_ModelExportHeader__Output | null);
  'chunk'?: (_fedfin_v1_TensorChunk__Output | null);
  'body'?: "header"|"chunk";
}
