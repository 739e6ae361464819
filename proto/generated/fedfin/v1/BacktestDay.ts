// Original file: proto/fedfin/v1/regression.proto


export interface BacktestDay {
  'date'?: (string);
  'instruments'?: (number);
  'strategy_return_sum'?: (number | string);
  'buy_hold_return_sum'?: (number | string);
  'turnover_sum'?: (number | string);
}

export interface BacktestDay__Output {
  'date': (string);
  'instruments': (number);
  'strategy_return_sum': (number);
  'buy_hold_return_sum': (number);
  'turnover_sum': (number);
}
