// Original file: proto/fedfin/v1/admin.proto


export interface LedgerRow {
  'job_id'?: (string);
  'job_name'?: (string);
  'schema'?: (string);
  'member_id'?: (string);
  'rounds'?: (number);
  'last_round'?: (number);
  'epsilon'?: (number | string);
  'delta'?: (number | string);
  'max_epsilon'?: (number | string);
  'epsilon_left'?: (number | string);
  'noise_multipliers'?: (number | string)[];
  'sample_rate'?: (number | string);
  'accountant'?: (string);
  'unit'?: (string);
}

export interface LedgerRow__Output {
  'job_id': (string);
  'job_name': (string);
  'schema': (string);
  'member_id': (string);
  'rounds': (number);
  'last_round': (number);
  'epsilon': (number);
  'delta': (number);
  'max_epsilon': (number);
  'epsilon_left': (number);
  'noise_multipliers': (number)[];
  'sample_rate': (number);
  'accountant': (string);
  'unit': (string);
}
