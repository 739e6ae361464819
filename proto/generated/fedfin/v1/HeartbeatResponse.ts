// Original file: proto/fedfin/v1/fleet.proto


export interface HeartbeatResponse {
  'cancel_instruction_ids'?: (string)[];
}

export interface HeartbeatResponse__Output {
  'cancel_instruction_ids': (string)[];
}
