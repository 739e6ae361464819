// Original file: proto/fedfin/v1/fleet.proto


export interface DownloadModelRequest {
  'session_id'?: (string);
  'instruction_id'?: (string);
}

export interface DownloadModelRequest__Output {
  'session_id': (string);
  'instruction_id': (string);
}
