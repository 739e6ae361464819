// Original file: proto/fedfin/v1/fleet.proto

import type { Instruction as _fedfin_v1_Instruction, Instruction__Output as _fedfin_v1_Instruction__Output } from '../../fedfin/v1/Instruction.js';

export interface PullInstructionResponse {
  'instruction'?: (_fedfin_v1_Instruction | null);
}

export interface PullInstructionResponse__Output {
  'instruction': (_fedfin_v1_Instruction__Output | null);
}
