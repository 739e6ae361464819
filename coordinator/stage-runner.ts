/**
 * Runs one stage of a round (stats, fit or evaluate) as a small state machine:
 * plan (persisted) → offer → wait for results or the deadline → close → outcome.
 * Results from banks that fail, refuse or time out are data (ClientFailure), not exceptions.
 */
import type { Logger } from '../common/log.js';
import { encodeWeights } from '../common/weights-codec.js';
import type { Weights } from '../common/weights.js';
import { instructionIdFor, parseStoredResult, type FleetStage, type ResultInfo, type RoundConfigValues } from '../schema/fleet.js';
import type { Dispatcher, OpenInstruction } from './fleet/dispatcher.js';
import type { MemberRegistry } from './fleet/member-registry.js';
import type { StagePlan, Store } from './store/store.js';
import type { ClientFailure } from './strategy/strategy.js';

export interface StageDeps {
  readonly store: Store;
  readonly dispatcher: Dispatcher;
  readonly registry: MemberRegistry;
  readonly logger: Logger;
  /** How often the wait loop re-checks liveness. @default 250 */
  readonly pollMs?: number;
}

export interface StageRequest {
  readonly jobId: string;
  readonly round: number;
  readonly attempt: number;
  readonly stage: FleetStage;
  /**
   * Banks and their configs (and, for secure-aggregation stages, each bank's stage message); ignored when a
   * persisted plan for this stage and attempt exists.
   */
  readonly assignments: readonly { readonly memberId: string; readonly config: RoundConfigValues; readonly payload?: Uint8Array }[];
  readonly weights: Weights | undefined;
  readonly timeoutMs: number;
  readonly jobSpecJson: string;
  readonly encodingStatsJson: string;
  /** Collect stored results only, without offering or waiting (a stage that finished before a crash). */
  readonly collectOnly?: boolean;
  /** Secure aggregation: the SecAgg server state to persist with a new plan (same row, same transaction). */
  readonly secaggState?: Uint8Array;
}

/** A usable result. */
export interface StageReply {
  readonly memberId: string;
  readonly result: ResultInfo;
  readonly weights: Weights | undefined;
  /** Secure-aggregation stages: the bank's stage message (masked-input: the masked vector). */
  readonly payload?: Uint8Array;
}

export interface StageOutcome {
  readonly replies: readonly StageReply[];
  readonly failures: readonly ClientFailure[];
  readonly weights: Weights | undefined;
  readonly elapsedMs: number;
}

/** Runs the stage; resolves when every bank answered, the deadline passed, or `signal` aborted. */
export async function runStage(deps: StageDeps, req: StageRequest, signal: AbortSignal): Promise<StageOutcome> {
  const started = Date.now();
  const existing = await deps.store.getStagePlan(req.jobId, req.round, req.stage);
  let plan: StagePlan;
  if (existing && existing.attempt === req.attempt) {
    plan = { ...existing, deadlineMs: Date.now() + req.timeoutMs }; // a restart grants a fresh deadline
    deps.logger.info('resuming stage from its persisted plan', { job: req.jobId, round: req.round, stage: req.stage, banks: Object.keys(plan.instructions).length });
  } else {
    const instructions: Record<string, { instructionId: string; config: RoundConfigValues; payload?: string }> = {};
    for (const a of req.assignments) {
      instructions[a.memberId] = { instructionId: instructionIdFor(req.jobId, req.round, req.attempt, req.stage, a.memberId), config: a.config, ...(a.payload ? { payload: Buffer.from(a.payload).toString('base64') } : {}) };
    }
    plan = { jobId: req.jobId, round: req.round, attempt: req.attempt, stage: req.stage, instructions, startedAt: new Date().toISOString(), deadlineMs: Date.now() + req.timeoutMs, weights: req.weights, ...(req.secaggState ? { secaggState: req.secaggState } : {}) };
    await deps.store.saveStagePlan(plan);
  }
  const ids = new Map(Object.entries(plan.instructions).map(([m, v]) => [v.instructionId, m]));
  const answered = new Set((await deps.store.listResults(req.jobId, req.round, req.stage)).map((r) => r.instructionId));
  const dropped = new Map<string, ClientFailure>();

  if (!req.collectOnly) {
    const { headers, bytes } = plan.weights ? encodeWeights(plan.weights) : { headers: [], bytes: new Uint8Array(0) };
    const open: OpenInstruction[] = [];
    for (const [memberId, v] of Object.entries(plan.instructions)) {
      if (answered.has(v.instructionId)) continue;
      open.push({
        memberId,
        headers,
        modelBytes: bytes,
        info: {
          instructionId: v.instructionId,
          jobId: req.jobId,
          round: req.round,
          stage: req.stage,
          jobSpecJson: req.jobSpecJson,
          roundConfig: v.config,
          modelBytes: bytes.length,
          numBanks: ids.size,
          deadlineUnixMs: plan.deadlineMs,
          encodingStatsJson: req.encodingStatsJson,
          ...(v.payload !== undefined ? { secaggPayload: new Uint8Array(Buffer.from(v.payload, 'base64')) } : {}),
        },
      });
    }
    deps.dispatcher.offer(open);
    await waitForResults(deps, plan, ids, answered, dropped, signal);
    deps.dispatcher.close(ids.keys());
  }

  const stored = await deps.store.listResults(req.jobId, req.round, req.stage);
  const replies: StageReply[] = [];
  const failures: ClientFailure[] = [];
  const got = new Set<string>();
  for (const r of stored) {
    if (!ids.has(r.instructionId)) continue; // a result of another attempt
    got.add(r.memberId);
    const result = parseStoredResult(r.headerJson);
    if (result.status === 'ok') replies.push({ memberId: r.memberId, result, weights: r.weights, ...(r.payload ? { payload: r.payload } : {}) });
    else failures.push({ memberId: r.memberId, kind: result.status === 'refused' ? 'refused' : 'failed', reason: result.reason });
  }
  for (const [memberId, v] of Object.entries(plan.instructions)) {
    if (got.has(memberId)) continue;
    const rejected = deps.dispatcher.rejection(v.instructionId);
    failures.push(rejected !== undefined ? { memberId, kind: 'invalid', reason: rejected } : (dropped.get(memberId) ?? { memberId, kind: 'timeout', reason: `no result within ${req.timeoutMs} ms` }));
  }
  return { replies, failures, weights: plan.weights, elapsedMs: Date.now() - started };
}

/** Waits until all planned instructions are answered, the deadline passes, or the signal aborts. */
async function waitForResults(
  deps: StageDeps,
  plan: StagePlan,
  ids: ReadonlyMap<string, string>,
  answered: Set<string>,
  dropped: Map<string, ClientFailure>,
  signal: AbortSignal,
): Promise<void> {
  // The instructions still awaited, kept up to date as results and dropouts arrive: each result's check walks
  // only these, not every instruction of the stage twice over (quadratic in banks).
  const pending = new Set([...ids.keys()].filter((id) => !answered.has(id) && !dropped.has(ids.get(id)!)));
  if (pending.size === 0) return;
  await new Promise<void>((resolve) => {
    const finish = () => {
      unsubscribe();
      clearInterval(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    // Only a bank seen online during this stage can disconnect from it: after a coordinator restart no bank
    // has rejoined yet, and declaring them all dropped at once would throw away the resumed round.
    const seenOnline = new Set<string>();
    const check = () => {
      for (const id of pending) {
        const member = ids.get(id)!;
        // A bank whose session lapsed mid-stage is a dropout now, not at the deadline.
        if (deps.registry.isOnline(member)) seenOnline.add(member);
        else if (seenOnline.has(member)) {
          dropped.set(member, { memberId: member, kind: 'timeout', reason: 'disconnected during the stage' });
          pending.delete(id);
        }
      }
      if (pending.size === 0 || Date.now() >= plan.deadlineMs) finish();
    };
    const unsubscribe = deps.dispatcher.onResult((id) => {
      if (ids.has(id)) {
        answered.add(id);
        pending.delete(id);
      }
      check();
    });
    signal.addEventListener('abort', finish, { once: true });
    const timer = setInterval(check, deps.pollMs ?? 250);
    check();
  });
}
