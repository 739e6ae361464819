// Original file: proto/fedfin/v1/fleet.proto


export interface PushResultResponse {
  'accepted'?: (boolean);
}

export interface PushResultResponse__Output {
  'accepted': (boolean);
}
