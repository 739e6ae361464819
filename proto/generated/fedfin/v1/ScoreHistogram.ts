// Original file: proto/fedfin/v1/messages.proto

import type { Long } from '@grpc/proto-loader';

export interface ScoreHistogram {
  'num_bins'?: (number);
  'counts_pos'?: (number | string | Long)[];
  'counts_neg'?: (number | string | Long)[];
  'sum_log_loss'?: (number | string);
  'sum_brier'?: (number | string);
  'num_correct'?: (number | string | Long);
  'num_examples'?: (number | string | Long);
  'edges'?: (number | string)[];
}

export interface ScoreHistogram__Output {
  'num_bins': (number);
  'counts_pos': (number)[];
  'counts_neg': (number)[];
  'sum_log_loss': (number);
  'sum_brier': (number);
  'num_correct': (number);
  'num_examples': (number);
  'edges': (number)[];
}
