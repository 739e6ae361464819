// Original file: proto/fedfin/v1/messages.proto

import type { Long } from '@grpc/proto-loader';

export interface PrivacySpend {
  'accountant'?: (string);
  'epsilon_round'?: (number | string);
  'epsilon_total'?: (number | string);
  'delta'?: (number | string);
  'noise_multiplier'?: (number | string);
  'sample_rate'?: (number | string);
  'steps'?: (number | string | Long);
  'unit'?: (string);
}

export interface PrivacySpend__Output {
  'accountant': (string);
  'epsilon_round': (number);
  'epsilon_total': (number);
  'delta': (number);
  'noise_multiplier': (number);
  'sample_rate': (number);
  'steps': (number);
  'unit': (string);
}
