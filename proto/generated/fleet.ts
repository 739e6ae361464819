import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { BacktestDay as _fedfin_v1_BacktestDay, BacktestDay__Output as _fedfin_v1_BacktestDay__Output } from './fedfin/v1/BacktestDay.js';
import type { DownloadModelRequest as _fedfin_v1_DownloadModelRequest, DownloadModelRequest__Output as _fedfin_v1_DownloadModelRequest__Output } from './fedfin/v1/DownloadModelRequest.js';
import type { FleetClient as _fedfin_v1_FleetClient, FleetDefinition as _fedfin_v1_FleetDefinition } from './fedfin/v1/Fleet.js';
import type { HeartbeatRequest as _fedfin_v1_HeartbeatRequest, HeartbeatRequest__Output as _fedfin_v1_HeartbeatRequest__Output } from './fedfin/v1/HeartbeatRequest.js';
import type { HeartbeatResponse as _fedfin_v1_HeartbeatResponse, HeartbeatResponse__Output as _fedfin_v1_HeartbeatResponse__Output } from './fedfin/v1/HeartbeatResponse.js';
import type { Instruction as _fedfin_v1_Instruction, Instruction__Output as _fedfin_v1_Instruction__Output } from './fedfin/v1/Instruction.js';
import type { JoinRequest as _fedfin_v1_JoinRequest, JoinRequest__Output as _fedfin_v1_JoinRequest__Output } from './fedfin/v1/JoinRequest.js';
import type { JoinResponse as _fedfin_v1_JoinResponse, JoinResponse__Output as _fedfin_v1_JoinResponse__Output } from './fedfin/v1/JoinResponse.js';
import type { MetricMap as _fedfin_v1_MetricMap, MetricMap__Output as _fedfin_v1_MetricMap__Output } from './fedfin/v1/MetricMap.js';
import type { ModelChunk as _fedfin_v1_ModelChunk, ModelChunk__Output as _fedfin_v1_ModelChunk__Output } from './fedfin/v1/ModelChunk.js';
import type { PrivacySpend as _fedfin_v1_PrivacySpend, PrivacySpend__Output as _fedfin_v1_PrivacySpend__Output } from './fedfin/v1/PrivacySpend.js';
import type { PullInstructionRequest as _fedfin_v1_PullInstructionRequest, PullInstructionRequest__Output as _fedfin_v1_PullInstructionRequest__Output } from './fedfin/v1/PullInstructionRequest.js';
import type { PullInstructionResponse as _fedfin_v1_PullInstructionResponse, PullInstructionResponse__Output as _fedfin_v1_PullInstructionResponse__Output } from './fedfin/v1/PullInstructionResponse.js';
import type { PushResultMessage as _fedfin_v1_PushResultMessage, PushResultMessage__Output as _fedfin_v1_PushResultMessage__Output } from './fedfin/v1/PushResultMessage.js';
import type { PushResultResponse as _fedfin_v1_PushResultResponse, PushResultResponse__Output as _fedfin_v1_PushResultResponse__Output } from './fedfin/v1/PushResultResponse.js';
import type { RegressionEvaluation as _fedfin_v1_RegressionEvaluation, RegressionEvaluation__Output as _fedfin_v1_RegressionEvaluation__Output } from './fedfin/v1/RegressionEvaluation.js';
import type { ResultHeader as _fedfin_v1_ResultHeader, ResultHeader__Output as _fedfin_v1_ResultHeader__Output } from './fedfin/v1/ResultHeader.js';
import type { ScoreHistogram as _fedfin_v1_ScoreHistogram, ScoreHistogram__Output as _fedfin_v1_ScoreHistogram__Output } from './fedfin/v1/ScoreHistogram.js';
import type { TensorChunk as _fedfin_v1_TensorChunk, TensorChunk__Output as _fedfin_v1_TensorChunk__Output } from './fedfin/v1/TensorChunk.js';
import type { TensorHeader as _fedfin_v1_TensorHeader, TensorHeader__Output as _fedfin_v1_TensorHeader__Output } from './fedfin/v1/TensorHeader.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  fedfin: {
    v1: {
      BacktestDay: MessageTypeDefinition<_fedfin_v1_BacktestDay, _fedfin_v1_BacktestDay__Output>
      DownloadModelRequest: MessageTypeDefinition<_fedfin_v1_DownloadModelRequest, _fedfin_v1_DownloadModelRequest__Output>
      Fleet: SubtypeConstructor<typeof grpc.Client, _fedfin_v1_FleetClient> & { service: _fedfin_v1_FleetDefinition }
      HeartbeatRequest: MessageTypeDefinition<_fedfin_v1_HeartbeatRequest, _fedfin_v1_HeartbeatRequest__Output>
      HeartbeatResponse: MessageTypeDefinition<_fedfin_v1_HeartbeatResponse, _fedfin_v1_HeartbeatResponse__Output>
      Instruction: MessageTypeDefinition<_fedfin_v1_Instruction, _fedfin_v1_Instruction__Output>
      JoinRequest: MessageTypeDefinition<_fedfin_v1_JoinRequest, _fedfin_v1_JoinRequest__Output>
      JoinResponse: MessageTypeDefinition<_fedfin_v1_JoinResponse, _fedfin_v1_JoinResponse__Output>
      MetricMap: MessageTypeDefinition<_fedfin_v1_MetricMap, _fedfin_v1_MetricMap__Output>
      ModelChunk: MessageTypeDefinition<_fedfin_v1_ModelChunk, _fedfin_v1_ModelChunk__Output>
      PrivacySpend: MessageTypeDefinition<_fedfin_v1_PrivacySpend, _fedfin_v1_PrivacySpend__Output>
      PullInstructionRequest: MessageTypeDefinition<_fedfin_v1_PullInstructionRequest, _fedfin_v1_PullInstructionRequest__Output>
      PullInstructionResponse: MessageTypeDefinition<_fedfin_v1_PullInstructionResponse, _fedfin_v1_PullInstructionResponse__Output>
      PushResultMessage: MessageTypeDefinition<_fedfin_v1_PushResultMessage, _fedfin_v1_PushResultMessage__Output>
      PushResultResponse: MessageTypeDefinition<_fedfin_v1_PushResultResponse, _fedfin_v1_PushResultResponse__Output>
      RegressionEvaluation: MessageTypeDefinition<_fedfin_v1_RegressionEvaluation, _fedfin_v1_RegressionEvaluation__Output>
      ResultHeader: MessageTypeDefinition<_fedfin_v1_ResultHeader, _fedfin_v1_ResultHeader__Output>
      ScoreHistogram: MessageTypeDefinition<_fedfin_v1_ScoreHistogram, _fedfin_v1_ScoreHistogram__Output>
      TensorChunk: MessageTypeDefinition<_fedfin_v1_TensorChunk, _fedfin_v1_TensorChunk__Output>
      TensorHeader: MessageTypeDefinition<_fedfin_v1_TensorHeader, _fedfin_v1_TensorHeader__Output>
    }
  }
}

