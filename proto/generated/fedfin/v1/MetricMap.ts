// Original file: proto/fedfin/v1/messages.proto


export interface MetricMap {
  'values'?: ({[key: string]: number | string});
}

export interface MetricMap__Output {
  'values': ({[key: string]: number});
}
