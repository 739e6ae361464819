// Original file: proto/fedfin/v1/messages.proto


export interface TensorHeader {
  'name'?: (string);
  'shape'?: (number)[];
}

export interface TensorHeader__Output {
  'name': (string);
  'shape': (number)[];
}
