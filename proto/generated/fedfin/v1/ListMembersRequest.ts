// Original file: proto/fedfin/v1/admin.proto


export interface ListMembersRequest {
}

export interface ListMembersRequest__Output {
}
