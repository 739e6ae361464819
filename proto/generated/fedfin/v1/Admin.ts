// Original file: proto/fedfin/v1/admin.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ExportModelRequest as _fedfin_v1_ExportModelRequest, ExportModelRequest__Output as _fedfin_v1_ExportModelRequest__Output } from '../../fedfin/v1/ExportModelRequest.js';
import type { GetJobRequest as _fedfin_v1_GetJobRequest, GetJobRequest__Output as _fedfin_v1_GetJobRequest__Output } from '../../fedfin/v1/GetJobRequest.js';
import type { GetLedgerRequest as _fedfin_v1_GetLedgerRequest, GetLedgerRequest__Output as _fedfin_v1_GetLedgerRequest__Output } from '../../fedfin/v1/GetLedgerRequest.js';
import type { GetLedgerResponse as _fedfin_v1_GetLedgerResponse, GetLedgerResponse__Output as _fedfin_v1_GetLedgerResponse__Output } from '../../fedfin/v1/GetLedgerResponse.js';
import type { JobDetail as _fedfin_v1_JobDetail, JobDetail__Output as _fedfin_v1_JobDetail__Output } from '../../fedfin/v1/JobDetail.js';
import type { JobEvent as _fedfin_v1_JobEvent, JobEvent__Output as _fedfin_v1_JobEvent__Output } from '../../fedfin/v1/JobEvent.js';
import type { JobSummary as _fedfin_v1_JobSummary, JobSummary__Output as _fedfin_v1_JobSummary__Output } from '../../fedfin/v1/JobSummary.js';
import type { ListJobsRequest as _fedfin_v1_ListJobsRequest, ListJobsRequest__Output as _fedfin_v1_ListJobsRequest__Output } from '../../fedfin/v1/ListJobsRequest.js';
import type { ListJobsResponse as _fedfin_v1_ListJobsResponse, ListJobsResponse__Output as _fedfin_v1_ListJobsResponse__Output } from '../../fedfin/v1/ListJobsResponse.js';
import type { ListMembersRequest as _fedfin_v1_ListMembersRequest, ListMembersRequest__Output as _fedfin_v1_ListMembersRequest__Output } from '../../fedfin/v1/ListMembersRequest.js';
import type { ListMembersResponse as _fedfin_v1_ListMembersResponse, ListMembersResponse__Output as _fedfin_v1_ListMembersResponse__Output } from '../../fedfin/v1/ListMembersResponse.js';
import type { ModelExportMessage as _fedfin_v1_ModelExportMessage, ModelExportMessage__Output as _fedfin_v1_ModelExportMessage__Output } from '../../fedfin/v1/ModelExportMessage.js';
import type { SubmitJobRequest as _fedfin_v1_SubmitJobRequest, SubmitJobRequest__Output as _fedfin_v1_SubmitJobRequest__Output } from '../../fedfin/v1/SubmitJobRequest.js';
import type { TailAuditRequest as _fedfin_v1_TailAuditRequest, TailAuditRequest__Output as _fedfin_v1_TailAuditRequest__Output } from '../../fedfin/v1/TailAuditRequest.js';
import type { TailAuditResponse as _fedfin_v1_TailAuditResponse, TailAuditResponse__Output as _fedfin_v1_TailAuditResponse__Output } from '../../fedfin/v1/TailAuditResponse.js';

export interface AdminClient extends grpc.Client {
  AbortJob(argument: _fedfin_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  AbortJob(argument: _fedfin_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  AbortJob(argument: _fedfin_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  AbortJob(argument: _fedfin_v1_GetJobRequest, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  abortJob(argument: _fedfin_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  abortJob(argument: _fedfin_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  abortJob(argument: _fedfin_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  abortJob(argument: _fedfin_v1_GetJobRequest, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  
  ExportModel(argument: _fedfin_v1_ExportModelRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedfin_v1_ModelExportMessage__Output>;
  ExportModel(argument: _fedfin_v1_ExportModelRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedfin_v1_ModelExportMessage__Output>;
  exportModel(argument: _fedfin_v1_ExportModelRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedfin_v1_ModelExportMessage__Output>;
  exportModel(argument: _fedfin_v1_ExportModelRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedfin_v1_ModelExportMessage__Output>;
  
  GetJob(argument: _fedfin_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JobDetail__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _fedfin_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_JobDetail__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _fedfin_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JobDetail__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _fedfin_v1_GetJobRequest, callback: grpc.requestCallback<_fedfin_v1_JobDetail__Output>): grpc.ClientUnaryCall;
  getJob(argument: _fedfin_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JobDetail__Output>): grpc.ClientUnaryCall;
  getJob(argument: _fedfin_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_JobDetail__Output>): grpc.ClientUnaryCall;
  getJob(argument: _fedfin_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JobDetail__Output>): grpc.ClientUnaryCall;
  getJob(argument: _fedfin_v1_GetJobRequest, callback: grpc.requestCallback<_fedfin_v1_JobDetail__Output>): grpc.ClientUnaryCall;
  
  GetLedger(argument: _fedfin_v1_GetLedgerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_GetLedgerResponse__Output>): grpc.ClientUnaryCall;
  GetLedger(argument: _fedfin_v1_GetLedgerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_GetLedgerResponse__Output>): grpc.ClientUnaryCall;
  GetLedger(argument: _fedfin_v1_GetLedgerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_GetLedgerResponse__Output>): grpc.ClientUnaryCall;
  GetLedger(argument: _fedfin_v1_GetLedgerRequest, callback: grpc.requestCallback<_fedfin_v1_GetLedgerResponse__Output>): grpc.ClientUnaryCall;
  getLedger(argument: _fedfin_v1_GetLedgerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_GetLedgerResponse__Output>): grpc.ClientUnaryCall;
  getLedger(argument: _fedfin_v1_GetLedgerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_GetLedgerResponse__Output>): grpc.ClientUnaryCall;
  getLedger(argument: _fedfin_v1_GetLedgerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_GetLedgerResponse__Output>): grpc.ClientUnaryCall;
  getLedger(argument: _fedfin_v1_GetLedgerRequest, callback: grpc.requestCallback<_fedfin_v1_GetLedgerResponse__Output>): grpc.ClientUnaryCall;
  
  ListJobs(argument: _fedfin_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _fedfin_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _fedfin_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _fedfin_v1_ListJobsRequest, callback: grpc.requestCallback<_fedfin_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _fedfin_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _fedfin_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _fedfin_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _fedfin_v1_ListJobsRequest, callback: grpc.requestCallback<_fedfin_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  
  ListMembers(argument: _fedfin_v1_ListMembersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  ListMembers(argument: _fedfin_v1_ListMembersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  ListMembers(argument: _fedfin_v1_ListMembersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  ListMembers(argument: _fedfin_v1_ListMembersRequest, callback: grpc.requestCallback<_fedfin_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _fedfin_v1_ListMembersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _fedfin_v1_ListMembersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _fedfin_v1_ListMembersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _fedfin_v1_ListMembersRequest, callback: grpc.requestCallback<_fedfin_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  
  SubmitJob(argument: _fedfin_v1_SubmitJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  SubmitJob(argument: _fedfin_v1_SubmitJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  SubmitJob(argument: _fedfin_v1_SubmitJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  SubmitJob(argument: _fedfin_v1_SubmitJobRequest, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _fedfin_v1_SubmitJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _fedfin_v1_SubmitJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _fedfin_v1_SubmitJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _fedfin_v1_SubmitJobRequest, callback: grpc.requestCallback<_fedfin_v1_JobSummary__Output>): grpc.ClientUnaryCall;
  
  TailAudit(argument: _fedfin_v1_TailAuditRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_TailAuditResponse__Output>): grpc.ClientUnaryCall;
  TailAudit(argument: _fedfin_v1_TailAuditRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_TailAuditResponse__Output>): grpc.ClientUnaryCall;
  TailAudit(argument: _fedfin_v1_TailAuditRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_TailAuditResponse__Output>): grpc.ClientUnaryCall;
  TailAudit(argument: _fedfin_v1_TailAuditRequest, callback: grpc.requestCallback<_fedfin_v1_TailAuditResponse__Output>): grpc.ClientUnaryCall;
  tailAudit(argument: _fedfin_v1_TailAuditRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_TailAuditResponse__Output>): grpc.ClientUnaryCall;
  tailAudit(argument: _fedfin_v1_TailAuditRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_TailAuditResponse__Output>): grpc.ClientUnaryCall;
  tailAudit(argument: _fedfin_v1_TailAuditRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_TailAuditResponse__Output>): grpc.ClientUnaryCall;
  tailAudit(argument: _fedfin_v1_TailAuditRequest, callback: grpc.requestCallback<_fedfin_v1_TailAuditResponse__Output>): grpc.ClientUnaryCall;
  
  WatchJob(argument: _fedfin_v1_GetJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedfin_v1_JobEvent__Output>;
  WatchJob(argument: _fedfin_v1_GetJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedfin_v1_JobEvent__Output>;
  watchJob(argument: _fedfin_v1_GetJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedfin_v1_JobEvent__Output>;
  watchJob(argument: _fedfin_v1_GetJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedfin_v1_JobEvent__Output>;
  
}

export interface AdminHandlers extends grpc.UntypedServiceImplementation {
  AbortJob: grpc.handleUnaryCall<_fedfin_v1_GetJobRequest__Output, _fedfin_v1_JobSummary>;
  
  ExportModel: grpc.handleServerStreamingCall<_fedfin_v1_ExportModelRequest__Output, _fedfin_v1_ModelExportMessage>;
  
  GetJob: grpc.handleUnaryCall<_fedfin_v1_GetJobRequest__Output, _fedfin_v1_JobDetail>;
  
  GetLedger: grpc.handleUnaryCall<_fedfin_v1_GetLedgerRequest__Output, _fedfin_v1_GetLedgerResponse>;
  
  ListJobs: grpc.handleUnaryCall<_fedfin_v1_ListJobsRequest__Output, _fedfin_v1_ListJobsResponse>;
  
  ListMembers: grpc.handleUnaryCall<_fedfin_v1_ListMembersRequest__Output, _fedfin_v1_ListMembersResponse>;
  
  SubmitJob: grpc.handleUnaryCall<_fedfin_v1_SubmitJobRequest__Output, _fedfin_v1_JobSummary>;
  
  TailAudit: grpc.handleUnaryCall<_fedfin_v1_TailAuditRequest__Output, _fedfin_v1_TailAuditResponse>;
  
  WatchJob: grpc.handleServerStreamingCall<_fedfin_v1_GetJobRequest__Output, _fedfin_v1_JobEvent>;
  
}

export interface AdminDefinition extends grpc.ServiceDefinition {
  AbortJob: MethodDefinition<_fedfin_v1_GetJobRequest, _fedfin_v1_JobSummary, _fedfin_v1_GetJobRequest__Output, _fedfin_v1_JobSummary__Output>
  ExportModel: MethodDefinition<_fedfin_v1_ExportModelRequest, _fedfin_v1_ModelExportMessage, _fedfin_v1_ExportModelRequest__Output, _fedfin_v1_ModelExportMessage__Output>
  GetJob: MethodDefinition<_fedfin_v1_GetJobRequest, _fedfin_v1_JobDetail, _fedfin_v1_GetJobRequest__Output, _fedfin_v1_JobDetail__Output>
  GetLedger: MethodDefinition<_fedfin_v1_GetLedgerRequest, _fedfin_v1_GetLedgerResponse, _fedfin_v1_GetLedgerRequest__Output, _fedfin_v1_GetLedgerResponse__Output>
  ListJobs: MethodDefinition<_fedfin_v1_ListJobsRequest, _fedfin_v1_ListJobsResponse, _fedfin_v1_ListJobsRequest__Output, _fedfin_v1_ListJobsResponse__Output>
  ListMembers: MethodDefinition<_fedfin_v1_ListMembersRequest, _fedfin_v1_ListMembersResponse, _fedfin_v1_ListMembersRequest__Output, _fedfin_v1_ListMembersResponse__Output>
  SubmitJob: MethodDefinition<_fedfin_v1_SubmitJobRequest, _fedfin_v1_JobSummary, _fedfin_v1_SubmitJobRequest__Output, _fedfin_v1_JobSummary__Output>
  TailAudit: MethodDefinition<_fedfin_v1_TailAuditRequest, _fedfin_v1_TailAuditResponse, _fedfin_v1_TailAuditRequest__Output, _fedfin_v1_TailAuditResponse__Output>
  WatchJob: MethodDefinition<_fedfin_v1_GetJobRequest, _fedfin_v1_JobEvent, _fedfin_v1_GetJobRequest__Output, _fedfin_v1_JobEvent__Output>
}
