// Original file: proto/fedfin/v1/fleet.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DownloadModelRequest as _fedfin_v1_DownloadModelRequest, DownloadModelRequest__Output as _fedfin_v1_DownloadModelRequest__Output } from '../../fedfin/v1/DownloadModelRequest.js';
import type { HeartbeatRequest as _fedfin_v1_HeartbeatRequest, HeartbeatRequest__Output as _fedfin_v1_HeartbeatRequest__Output } from '../../fedfin/v1/HeartbeatRequest.js';
import type { HeartbeatResponse as _fedfin_v1_HeartbeatResponse, HeartbeatResponse__Output as _fedfin_v1_HeartbeatResponse__Output } from '../../fedfin/v1/HeartbeatResponse.js';
import type { JoinRequest as _fedfin_v1_JoinRequest, JoinRequest__Output as _fedfin_v1_JoinRequest__Output } from '../../fedfin/v1/JoinRequest.js';
import type { JoinResponse as _fedfin_v1_JoinResponse, JoinResponse__Output as _fedfin_v1_JoinResponse__Output } from '../../fedfin/v1/JoinResponse.js';
import type { ModelChunk as _fedfin_v1_ModelChunk, ModelChunk__Output as _fedfin_v1_ModelChunk__Output } from '../../fedfin/v1/ModelChunk.js';
import type { PullInstructionRequest as _fedfin_v1_PullInstructionRequest, PullInstructionRequest__Output as _fedfin_v1_PullInstructionRequest__Output } from '../../fedfin/v1/PullInstructionRequest.js';
import type { PullInstructionResponse as _fedfin_v1_PullInstructionResponse, PullInstructionResponse__Output as _fedfin_v1_PullInstructionResponse__Output } from '../../fedfin/v1/PullInstructionResponse.js';
import type { PushResultMessage as _fedfin_v1_PushResultMessage, PushResultMessage__Output as _fedfin_v1_PushResultMessage__Output } from '../../fedfin/v1/PushResultMessage.js';
import type { PushResultResponse as _fedfin_v1_PushResultResponse, PushResultResponse__Output as _fedfin_v1_PushResultResponse__Output } from '../../fedfin/v1/PushResultResponse.js';

export interface FleetClient extends grpc.Client {
  DownloadModel(argument: _fedfin_v1_DownloadModelRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedfin_v1_ModelChunk__Output>;
  DownloadModel(argument: _fedfin_v1_DownloadModelRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedfin_v1_ModelChunk__Output>;
  downloadModel(argument: _fedfin_v1_DownloadModelRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedfin_v1_ModelChunk__Output>;
  downloadModel(argument: _fedfin_v1_DownloadModelRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedfin_v1_ModelChunk__Output>;
  
  Heartbeat(argument: _fedfin_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _fedfin_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _fedfin_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _fedfin_v1_HeartbeatRequest, callback: grpc.requestCallback<_fedfin_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _fedfin_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _fedfin_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _fedfin_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _fedfin_v1_HeartbeatRequest, callback: grpc.requestCallback<_fedfin_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  
  Join(argument: _fedfin_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _fedfin_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _fedfin_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _fedfin_v1_JoinRequest, callback: grpc.requestCallback<_fedfin_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _fedfin_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _fedfin_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _fedfin_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _fedfin_v1_JoinRequest, callback: grpc.requestCallback<_fedfin_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  
  PullInstruction(argument: _fedfin_v1_PullInstructionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_PullInstructionResponse__Output>): grpc.ClientUnaryCall;
  PullInstruction(argument: _fedfin_v1_PullInstructionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_PullInstructionResponse__Output>): grpc.ClientUnaryCall;
  PullInstruction(argument: _fedfin_v1_PullInstructionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_PullInstructionResponse__Output>): grpc.ClientUnaryCall;
  PullInstruction(argument: _fedfin_v1_PullInstructionRequest, callback: grpc.requestCallback<_fedfin_v1_PullInstructionResponse__Output>): grpc.ClientUnaryCall;
  pullInstruction(argument: _fedfin_v1_PullInstructionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_PullInstructionResponse__Output>): grpc.ClientUnaryCall;
  pullInstruction(argument: _fedfin_v1_PullInstructionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_PullInstructionResponse__Output>): grpc.ClientUnaryCall;
  pullInstruction(argument: _fedfin_v1_PullInstructionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_PullInstructionResponse__Output>): grpc.ClientUnaryCall;
  pullInstruction(argument: _fedfin_v1_PullInstructionRequest, callback: grpc.requestCallback<_fedfin_v1_PullInstructionResponse__Output>): grpc.ClientUnaryCall;
  
  PushResult(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_PushResultResponse__Output>): grpc.ClientWritableStream<_fedfin_v1_PushResultMessage>;
  PushResult(metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_PushResultResponse__Output>): grpc.ClientWritableStream<_fedfin_v1_PushResultMessage>;
  PushResult(options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_PushResultResponse__Output>): grpc.ClientWritableStream<_fedfin_v1_PushResultMessage>;
  PushResult(callback: grpc.requestCallback<_fedfin_v1_PushResultResponse__Output>): grpc.ClientWritableStream<_fedfin_v1_PushResultMessage>;
  pushResult(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_PushResultResponse__Output>): grpc.ClientWritableStream<_fedfin_v1_PushResultMessage>;
  pushResult(metadata: grpc.Metadata, callback: grpc.requestCallback<_fedfin_v1_PushResultResponse__Output>): grpc.ClientWritableStream<_fedfin_v1_PushResultMessage>;
  pushResult(options: grpc.CallOptions, callback: grpc.requestCallback<_fedfin_v1_PushResultResponse__Output>): grpc.ClientWritableStream<_fedfin_v1_PushResultMessage>;
  pushResult(callback: grpc.requestCallback<_fedfin_v1_PushResultResponse__Output>): grpc.ClientWritableStream<_fedfin_v1_PushResultMessage>;
  
}

export interface FleetHandlers extends grpc.UntypedServiceImplementation {
  DownloadModel: grpc.handleServerStreamingCall<_fedfin_v1_DownloadModelRequest__Output, _fedfin_v1_ModelChunk>;
  
  Heartbeat: grpc.handleUnaryCall<_fedfin_v1_HeartbeatRequest__Output, _fedfin_v1_HeartbeatResponse>;
  
  Join: grpc.handleUnaryCall<_fedfin_v1_JoinRequest__Output, _fedfin_v1_JoinResponse>;
  
  PullInstruction: grpc.handleUnaryCall<_fedfin_v1_PullInstructionRequest__Output, _fedfin_v1_PullInstructionResponse>;
  
  PushResult: grpc.handleClientStreamingCall<_fedfin_v1_PushResultMessage__Output, _fedfin_v1_PushResultResponse>;
  
}

export interface FleetDefinition extends grpc.ServiceDefinition {
  DownloadModel: MethodDefinition<_fedfin_v1_DownloadModelRequest, _fedfin_v1_ModelChunk, _fedfin_v1_DownloadModelRequest__Output, _fedfin_v1_ModelChunk__Output>
  Heartbeat: MethodDefinition<_fedfin_v1_HeartbeatRequest, _fedfin_v1_HeartbeatResponse, _fedfin_v1_HeartbeatRequest__Output, _fedfin_v1_HeartbeatResponse__Output>
  Join: MethodDefinition<_fedfin_v1_JoinRequest, _fedfin_v1_JoinResponse, _fedfin_v1_JoinRequest__Output, _fedfin_v1_JoinResponse__Output>
  PullInstruction: MethodDefinition<_fedfin_v1_PullInstructionRequest, _fedfin_v1_PullInstructionResponse, _fedfin_v1_PullInstructionRequest__Output, _fedfin_v1_PullInstructionResponse__Output>
  PushResult: MethodDefinition<_fedfin_v1_PushResultMessage, _fedfin_v1_PushResultResponse, _fedfin_v1_PushResultMessage__Output, _fedfin_v1_PushResultResponse__Output>
}
