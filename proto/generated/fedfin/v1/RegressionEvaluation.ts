// Original file: proto/fedfin/v1/regression.proto

import type { BacktestDay as _fedfin_v1_BacktestDay, BacktestDay__Output as _fedfin_v1_BacktestDay__Output } from '../../fedfin/v1/BacktestDay.js';
import type { Long } from '@grpc/proto-loader';

export interface RegressionEvaluation {
  'num_examples'?: (number | string | Long);
  'sum_error'?: (number | string);
  'sum_sq_error'?: (number | string);
  'sum_abs_error'?: (number | string);
  'sum_target'?: (number | string);
  'sum_sq_target'?: (number | string);
  'direction_correct'?: (number | string | Long);
  'predicted_up'?: (number | string | Long);
  'actual_up'?: (number | string | Long);
  'days'?: (_fedfin_v1_BacktestDay)[];
}

export interface RegressionEvaluation__Output {
  'num_examples': (number);
  'sum_error': (number);
  'sum_sq_error': (number);
  'sum_abs_error': (number);
  'sum_target': (number);
  'sum_sq_target': (number);
  'direction_correct': (number);
  'predicted_up': (number);
  'actual_up': (number);
  'days': (_fedfin_v1_BacktestDay__Output)[];
}
