// Original file: proto/fedfin/v1/admin.proto

import type { MetricMap as _fedfin_v1_MetricMap, MetricMap__Output as _fedfin_v1_MetricMap__Output } from '../../fedfin/v1/MetricMap.js';
import type { Long } from '@grpc/proto-loader';

export interface RoundSummary {
  'round'?: (number);
  'participants'?: (string)[];
  'dropped'?: (string)[];
  'metrics'?: (_fedfin_v1_MetricMap | null);
  'epsilon'?: (number | string);
  'delta'?: (number | string);
  'completed_at'?: (string);
  'train_ms'?: (number | string | Long);
  'evaluate_ms'?: (number | string | Long);
}

export interface RoundSummary__Output {
  'round': (number);
  'participants': (string)[];
  'dropped': (string)[];
  'metrics': (_fedfin_v1_MetricMap__Output | null);
  'epsilon': (number);
  'delta': (number);
  'completed_at': (string);
  'train_ms': (number);
  'evaluate_ms': (number);
}
