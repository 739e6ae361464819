// Original file: proto/fedfin/v1/admin.proto

import type { Member as _fedfin_v1_Member, Member__Output as _fedfin_v1_Member__Output } from '../../fedfin/v1/Member.js';

export interface ListMembersResponse {
  'members'?: (_fedfin_v1_Member)[];
}

export interface ListMembersResponse__Output {
  'members': (_fedfin_v1_Member__Output)[];
}
