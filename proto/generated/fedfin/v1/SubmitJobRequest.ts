// Original file: proto/fedfin/v1/admin.proto


export interface SubmitJobRequest {
  'spec_json'?: (string);
}

export interface SubmitJobRequest__Output {
  'spec_json': (string);
}
