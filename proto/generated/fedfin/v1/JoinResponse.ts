// Original file: proto/fedfin/v1/fleet.proto


export interface JoinResponse {
  'session_id'?: (string);
  'heartbeat_interval_ms'?: (number);
  'max_wait_ms'?: (number);
}

export interface JoinResponse__Output {
  'session_id': (string);
  'heartbeat_interval_ms': (number);
  'max_wait_ms': (number);
}
