import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AdminClient as _fedfin_v1_AdminClient, AdminDefinition as _fedfin_v1_AdminDefinition } from './fedfin/v1/Admin.js';
import type { AuditEntry as _fedfin_v1_AuditEntry, AuditEntry__Output as _fedfin_v1_AuditEntry__Output } from './fedfin/v1/AuditEntry.js';
import type { ExportModelRequest as _fedfin_v1_ExportModelRequest, ExportModelRequest__Output as _fedfin_v1_ExportModelRequest__Output } from './fedfin/v1/ExportModelRequest.js';
import type { GetJobRequest as _fedfin_v1_GetJobRequest, GetJobRequest__Output as _fedfin_v1_GetJobRequest__Output } from './fedfin/v1/GetJobRequest.js';
import type { GetLedgerRequest as _fedfin_v1_GetLedgerRequest, GetLedgerRequest__Output as _fedfin_v1_GetLedgerRequest__Output } from './fedfin/v1/GetLedgerRequest.js';
import type { GetLedgerResponse as _fedfin_v1_GetLedgerResponse, GetLedgerResponse__Output as _fedfin_v1_GetLedgerResponse__Output } from './fedfin/v1/GetLedgerResponse.js';
import type { JobDetail as _fedfin_v1_JobDetail, JobDetail__Output as _fedfin_v1_JobDetail__Output } from './fedfin/v1/JobDetail.js';
import type { JobEvent as _fedfin_v1_JobEvent, JobEvent__Output as _fedfin_v1_JobEvent__Output } from './fedfin/v1/JobEvent.js';
import type { JobSummary as _fedfin_v1_JobSummary, JobSummary__Output as _fedfin_v1_JobSummary__Output } from './fedfin/v1/JobSummary.js';
import type { LedgerRow as _fedfin_v1_LedgerRow, LedgerRow__Output as _fedfin_v1_LedgerRow__Output } from './fedfin/v1/LedgerRow.js';
import type { ListJobsRequest as _fedfin_v1_ListJobsRequest, ListJobsRequest__Output as _fedfin_v1_ListJobsRequest__Output } from './fedfin/v1/ListJobsRequest.js';
import type { ListJobsResponse as _fedfin_v1_ListJobsResponse, ListJobsResponse__Output as _fedfin_v1_ListJobsResponse__Output } from './fedfin/v1/ListJobsResponse.js';
import type { ListMembersRequest as _fedfin_v1_ListMembersRequest, ListMembersRequest__Output as _fedfin_v1_ListMembersRequest__Output } from './fedfin/v1/ListMembersRequest.js';
import type { ListMembersResponse as _fedfin_v1_ListMembersResponse, ListMembersResponse__Output as _fedfin_v1_ListMembersResponse__Output } from './fedfin/v1/ListMembersResponse.js';
import type { Member as _fedfin_v1_Member, Member__Output as _fedfin_v1_Member__Output } from './fedfin/v1/Member.js';
import type { MetricMap as _fedfin_v1_MetricMap, MetricMap__Output as _fedfin_v1_MetricMap__Output } from './fedfin/v1/MetricMap.js';
import type { ModelExportHeader as _fedfin_v1_ModelExportHeader, ModelExportHeader__Output as _fedfin_v1_ModelExportHeader__Output } from './fedfin/v1/ModelExportHeader.js';
import type { ModelExportMessage as _fedfin_v1_ModelExportMessage, ModelExportMessage__Output as _fedfin_v1_ModelExportMessage__Output } from './fedfin/v1/ModelExportMessage.js';
import type { PrivacySpend as _fedfin_v1_PrivacySpend, PrivacySpend__Output as _fedfin_v1_PrivacySpend__Output } from './fedfin/v1/PrivacySpend.js';
import type { RoundSummary as _fedfin_v1_RoundSummary, RoundSummary__Output as _fedfin_v1_RoundSummary__Output } from './fedfin/v1/RoundSummary.js';
import type { ScoreHistogram as _fedfin_v1_ScoreHistogram, ScoreHistogram__Output as _fedfin_v1_ScoreHistogram__Output } from './fedfin/v1/ScoreHistogram.js';
import type { SubmitJobRequest as _fedfin_v1_SubmitJobRequest, SubmitJobRequest__Output as _fedfin_v1_SubmitJobRequest__Output } from './fedfin/v1/SubmitJobRequest.js';
import type { TailAuditRequest as _fedfin_v1_TailAuditRequest, TailAuditRequest__Output as _fedfin_v1_TailAuditRequest__Output } from './fedfin/v1/TailAuditRequest.js';
import type { TailAuditResponse as _fedfin_v1_TailAuditResponse, TailAuditResponse__Output as _fedfin_v1_TailAuditResponse__Output } from './fedfin/v1/TailAuditResponse.js';
import type { TensorChunk as _fedfin_v1_TensorChunk, TensorChunk__Output as _fedfin_v1_TensorChunk__Output } from './fedfin/v1/TensorChunk.js';
import type { TensorHeader as _fedfin_v1_TensorHeader, TensorHeader__Output as _fedfin_v1_TensorHeader__Output } from './fedfin/v1/TensorHeader.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  fedfin: {
    v1: {
      Admin: SubtypeConstructor<typeof grpc.Client, _fedfin_v1_AdminClient> & { service: _fedfin_v1_AdminDefinition }
      AuditEntry: MessageTypeDefinition<_fedfin_v1_AuditEntry, _fedfin_v1_AuditEntry__Output>
      ExportModelRequest: MessageTypeDefinition<_fedfin_v1_ExportModelRequest, _fedfin_v1_ExportModelRequest__Output>
      GetJobRequest: MessageTypeDefinition<_fedfin_v1_GetJobRequest, _fedfin_v1_GetJobRequest__Output>
      GetLedgerRequest: MessageTypeDefinition<_fedfin_v1_GetLedgerRequest, _fedfin_v1_GetLedgerRequest__Output>
      GetLedgerResponse: MessageTypeDefinition<_fedfin_v1_GetLedgerResponse, _fedfin_v1_GetLedgerResponse__Output>
      JobDetail: MessageTypeDefinition<_fedfin_v1_JobDetail, _fedfin_v1_JobDetail__Output>
      JobEvent: MessageTypeDefinition<_fedfin_v1_JobEvent, _fedfin_v1_JobEvent__Output>
      JobSummary: MessageTypeDefinition<_fedfin_v1_JobSummary, _fedfin_v1_JobSummary__Output>
      LedgerRow: MessageTypeDefinition<_fedfin_v1_LedgerRow, _fedfin_v1_LedgerRow__Output>
      ListJobsRequest: MessageTypeDefinition<_fedfin_v1_ListJobsRequest, _fedfin_v1_ListJobsRequest__Output>
      ListJobsResponse: MessageTypeDefinition<_fedfin_v1_ListJobsResponse, _fedfin_v1_ListJobsResponse__Output>
      ListMembersRequest: MessageTypeDefinition<_fedfin_v1_ListMembersRequest, _fedfin_v1_ListMembersRequest__Output>
      ListMembersResponse: MessageTypeDefinition<_fedfin_v1_ListMembersResponse, _fedfin_v1_ListMembersResponse__Output>
      Member: MessageTypeDefinition<_fedfin_v1_Member, _fedfin_v1_Member__Output>
      MetricMap: MessageTypeDefinition<_fedfin_v1_MetricMap, _fedfin_v1_MetricMap__Output>
      ModelExportHeader: MessageTypeDefinition<_fedfin_v1_ModelExportHeader, _fedfin_v1_ModelExportHeader__Output>
      ModelExportMessage: MessageTypeDefinition<_fedfin_v1_ModelExportMessage, _fedfin_v1_ModelExportMessage__Output>
      PrivacySpend: MessageTypeDefinition<_fedfin_v1_PrivacySpend, _fedfin_v1_PrivacySpend__Output>
      RoundSummary: MessageTypeDefinition<_fedfin_v1_RoundSummary, _fedfin_v1_RoundSummary__Output>
      ScoreHistogram: MessageTypeDefinition<_fedfin_v1_ScoreHistogram, _fedfin_v1_ScoreHistogram__Output>
      SubmitJobRequest: MessageTypeDefinition<_fedfin_v1_SubmitJobRequest, _fedfin_v1_SubmitJobRequest__Output>
      TailAuditRequest: MessageTypeDefinition<_fedfin_v1_TailAuditRequest, _fedfin_v1_TailAuditRequest__Output>
      TailAuditResponse: MessageTypeDefinition<_fedfin_v1_TailAuditResponse, _fedfin_v1_TailAuditResponse__Output>
      TensorChunk: MessageTypeDefinition<_fedfin_v1_TensorChunk, _fedfin_v1_TensorChunk__Output>
      TensorHeader: MessageTypeDefinition<_fedfin_v1_TensorHeader, _fedfin_v1_TensorHeader__Output>
    }
  }
}

