// Original file: proto/fedfin/v1/admin.proto


export interface ListJobsRequest {
}

export interface ListJobsRequest__Output {
}
