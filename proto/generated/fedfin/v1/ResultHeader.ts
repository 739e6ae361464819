// Original file: proto/fedfin/v1/fleet.proto

import type { MetricMap as _fedfin_v1_MetricMap, MetricMap__Output as _fedfin_v1_MetricMap__Output } from '../../fedfin/v1/MetricMap.js';
import type { TensorHeader as _fedfin_v1_TensorHeader, TensorHeader__Output as _fedfin_v1_TensorHeader__Output } from '../../fedfin/v1/TensorHeader.js';
import type { ScoreHistogram as _fedfin_v1_ScoreHistogram, ScoreHistogram__Output as _fedfin_v1_ScoreHistogram__Output } from '../../fedfin/v1/ScoreHistogram.js';
import type { PrivacySpend as _fedfin_v1_PrivacySpend, PrivacySpend__Output as _fedfin_v1_PrivacySpend__Output } from '../../fedfin/v1/PrivacySpend.js';
import type { RegressionEvaluation as _fedfin_v1_RegressionEvaluation, RegressionEvaluation__Output as _fedfin_v1_RegressionEvaluation__Output } from '../../fedfin/v1/RegressionEvaluation.js';
import type { Long } from '@grpc/proto-loader';

export interface ResultHeader {
  'session_id'?: (string);
  'instruction_id'?: (string);
  'status'?: (string);
  'reason'?: (string);
  'num_examples'?: (number | string | Long);
  'metrics'?: (_fedfin_v1_MetricMap | null);
  'headers'?: (_fedfin_v1_TensorHeader)[];
  'histogram'?: (_fedfin_v1_ScoreHistogram | null);
  'privacy'?: (_fedfin_v1_PrivacySpend | null);
  'encoding_hash'?: (string);
  'num_features'?: (number);
  'moments_json'?: (string);
  'secagg_payload'?: (Buffer | Uint8Array | string);
  'regression'?: (_fedfin_v1_RegressionEvaluation | null);
}

export interface ResultHeader__Output {
  'session_id': (string);
  'instruction_id': (string);
  'status': (string);
  'reason': (string);
  'num_examples': (number);
  'metrics': (_fedfin_v1_MetricMap__Output | null);
  'headers': (_fedfin_v1_TensorHeader__Output)[];
  'histogram': (_fedfin_v1_ScoreHistogram__Output | null);
  'privacy': (_fedfin_v1_PrivacySpend__Output | null);
  'encoding_hash': (string);
  'num_features': (number);
  'moments_json': (string);
  'secagg_payload': (Buffer);
  'regression': (_fedfin_v1_RegressionEvaluation__Output | null);
}
