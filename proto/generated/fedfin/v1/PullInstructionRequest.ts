// Original file: proto/fedfin/v1/fleet.proto


export interface PullInstructionRequest {
  'session_id'?: (string);
  'wait_ms'?: (number);
}

export interface PullInstructionRequest__Output {
  'session_id': (string);
  'wait_ms': (number);
}
