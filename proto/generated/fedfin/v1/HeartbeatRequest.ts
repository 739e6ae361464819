// Original file: proto/fedfin/v1/fleet.proto


export interface HeartbeatRequest {
  'session_id'?: (string);
  'working_on'?: (string);
}

export interface HeartbeatRequest__Output {
  'session_id': (string);
  'working_on': (string);
}
