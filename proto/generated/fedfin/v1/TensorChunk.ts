// Original file: proto/fedfin/v1/messages.proto

import type { Long } from '@grpc/proto-loader';

export interface TensorChunk {
  'offset'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
}

export interface TensorChunk__Output {
  'offset': (number);
  'data': (Buffer);
}
