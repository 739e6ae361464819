// Original file: proto/fedfin/v1/fleet.proto

import type { Long } from '@grpc/proto-loader';

export interface Instruction {
  'instruction_id'?: (string);
  'job_id'?: (string);
  'round'?: (number);
  'stage'?: (string);
  'job_spec_json'?: (string);
  'round_config_json'?: (string);
  'model_bytes'?: (number | string | Long);
  'num_banks'?: (number);
  'deadline_unix_ms'?: (number | string | Long);
  'encoding_stats_json'?: (string);
  'secagg_payload'?: (Buffer | Uint8Array | string);
}

export interface Instruction__Output {
  'instruction_id': (string);
  'job_id': (string);
  'round': (number);
  'stage': (string);
  'job_spec_json': (string);
  'round_config_json': (string);
  'model_bytes': (number);
  'num_banks': (number);
  'deadline_unix_ms': (number);
  'encoding_stats_json': (string);
  'secagg_payload': (Buffer);
}
