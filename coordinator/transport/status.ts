/** FedfinError codes → gRPC status codes, in one table; unknown errors become INTERNAL with a generic message. */
import * as grpc from '@grpc/grpc-js';
import { FedfinError, type FedfinErrorCode } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';

const TABLE: Partial<Record<FedfinErrorCode, grpc.status>> = {
  'config-invalid': grpc.status.INVALID_ARGUMENT,
  usage: grpc.status.INVALID_ARGUMENT,
  'protocol-violation': grpc.status.INVALID_ARGUMENT,
  'data-invalid': grpc.status.INVALID_ARGUMENT,
  'schema-invalid': grpc.status.INVALID_ARGUMENT,
  'encoding-mismatch': grpc.status.INVALID_ARGUMENT,
  'job-not-found': grpc.status.NOT_FOUND,
  'privacy-budget-exhausted': grpc.status.FAILED_PRECONDITION,
  'client-unavailable': grpc.status.UNAVAILABLE,
};

/** A gRPC error carrying a status and details. */
export class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(details);
  }
}

/** Maps any thrown value to a ServiceError; logs unknown errors server-side only. */
export function toServiceError(err: unknown, logger: Logger, rpc: string): Partial<grpc.ServiceError> {
  if (err instanceof RpcError) return { code: err.code, details: err.details, message: err.details };
  if (err instanceof FedfinError) {
    const code = TABLE[err.code] ?? grpc.status.FAILED_PRECONDITION;
    return { code, details: err.message, message: err.message };
  }
  logger.error('rpc failed with an internal error', { rpc, error: err instanceof Error ? err.message : String(err) });
  return { code: grpc.status.INTERNAL, details: 'internal error', message: 'internal error' };
}

/**
 * Adapts an async handler to grpc-js's unary callback, calling the callback exactly once
 * (the double-callback bug of grpc-node's error example is not possible here).
 */
export function unary<Req, Res>(logger: Logger, rpc: string, handler: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request, call).then(
      (res) => callback(null, res),
      (err: unknown) => callback(toServiceError(err, logger, rpc) as grpc.ServiceError),
    );
  };
}
