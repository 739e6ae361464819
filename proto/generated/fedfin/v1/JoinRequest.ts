// Original file: proto/fedfin/v1/fleet.proto


export interface JoinRequest {
  'member_id'?: (string);
  'software_version'?: (string);
  'tf_backend'?: (string);
  'accepted_tasks'?: (string)[];
  'identity_public_key'?: (Buffer | Uint8Array | string);
}

export interface JoinRequest__Output {
  'member_id': (string);
  'software_version': (string);
  'tf_backend': (string);
  'accepted_tasks': (string)[];
  'identity_public_key': (Buffer);
}
