/** The handler contract of the daemon: `(instruction, ctx) => Promise<Outcome>`, composable with middleware. */
import type { Logger } from '../../common/log.js';
import type { Weights } from '../../common/weights.js';
import type { SitePolicy } from '../../schema/node-config.js';
import type { InstructionInfo, ResultInfo } from '../../schema/fleet.js';
import type { ModelSpec } from '../../tasks/models/model-spec.js';
import type { LocalData } from '../data/local-data.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Trainer } from '../trainer/trainer.js';

/**
 * What a handler produces: the result header to push and, for fit results, the update as little-endian
 * float32 bytes (the layout of `result.headers`). The daemon pushes exactly this; nothing else leaves.
 */
export interface Outcome {
  readonly result: ResultInfo;
  readonly bytes: Uint8Array | undefined;
}

/** What handlers may use. Built once per instruction by the daemon. */
export interface HandlerContext {
  readonly memberId: string;
  readonly data: LocalData;
  readonly policy: SitePolicy;
  readonly ledger: Ledger;
  readonly logger: Logger;
  /** Aborted on shutdown or when the coordinator cancels the instruction. */
  readonly signal: AbortSignal;
  /** Streams the instruction's model from the coordinator. */
  downloadModel(): Promise<Weights>;
  /** Builds the trainer for a model (tfjs in production). */
  createTrainer(model: ModelSpec): Trainer;
}

/**
 * Handles one instruction. Refusals and failures are outcomes (status "refused"/"failed"), not throws;
 * a throw is turned into a "failed" outcome by the failure guard middleware.
 */
export type Handler = (instruction: InstructionInfo, ctx: HandlerContext) => Promise<Outcome>;

/**
 * Wraps a handler (Flower "mods", hono middleware): may act before and after `next()`, or answer
 * without calling it. Secure aggregation will add one that masks fit updates before they leave.
 */
export type Middleware = (instruction: InstructionInfo, ctx: HandlerContext, next: () => Promise<Outcome>) => Promise<Outcome>;

/** A result with no payload: refusals, failures, and the base of every other result. */
export function bareResult(instructionId: string, status: ResultInfo['status'], reason = ''): ResultInfo {
  return { instructionId, status, reason, numExamples: 0, metrics: {}, headers: [], histogram: undefined, privacy: undefined, encodingHash: '', numFeatures: 0, momentsJson: '' };
}
