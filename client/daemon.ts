/** The bank daemon's lifecycle: starting → loading-data → connecting → idle ↔ working → stopping → stopped. */
import { FedfinError } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import type { DaemonOptions } from '../schema/node-config.js';
import type { InstructionInfo } from '../schema/fleet.js';
import type { ModelSpec } from '../tasks/models/model-spec.js';
import { initTfBackend } from '../tasks/tf-backend.js';
import { loadLocalData, type LocalData } from './data/local-data.js';
import { evaluateHandler } from './handlers/evaluate.js';
import { fitHandler } from './handlers/fit.js';
import { statsHandler } from './handlers/stats.js';
import type { Handler, HandlerContext, Middleware, Outcome } from './handlers/types.js';
import { openLedger, type Ledger } from './ledger/ledger.js';
import { compose } from './middleware/compose.js';
import { byStage, failureGuard, fromResultCache } from './middleware/standard.js';
import { approvalGate } from './middleware/approval.js';
import { secaggHandlers, secaggMiddleware } from './middleware/secagg.js';
import { SecAggSessions, type SecAggBankOptions } from './handlers/secagg-session.js';
import { generateIdentityKey, parseIdentityKeyPem } from '../security/identity-keys.js';
import { readKeyFile } from '../security/key-files.js';
import { createTfjsTrainer } from './trainer/tfjs-trainer.js';
import type { Trainer } from './trainer/trainer.js';
import { GrpcLink, rpcCode, type GrpcLinkOptions, type JoinInfo } from './transport/grpc-link.js';
import { actionFor, realClock, shouldLogAttempt, withRetry, type RetryClock } from './transport/retry.js';

/** Lifecycle states (Temporal's worker `State`). */
export type DaemonState = 'starting' | 'loading-data' | 'connecting' | 'idle' | 'working' | 'stopping' | 'stopped';

export const SOFTWARE_VERSION = '0.1.0';

/** Everything a daemon needs; only `options` and `logger` are required. */
export interface DaemonDeps {
  readonly options: DaemonOptions;
  readonly logger: Logger;
  /** Extra middleware between the standard ones and the stage handlers (secure aggregation goes here). */
  readonly middleware?: readonly Middleware[];
  /** @default createTfjsTrainer({ model, logger }) */
  readonly createTrainer?: (model: ModelSpec) => Trainer;
  /** @default realClock (node:crypto jitter, setTimeout) */
  readonly clock?: RetryClock;
  readonly linkOptions?: GrpcLinkOptions;
  readonly onStateChange?: (state: DaemonState) => void;
  /**
   * Secure aggregation: the identity key (default: `options.identityKeyFile`, else a fresh key per
   * process), identity keys pinned from provisioning (the mTLS seam), and a TEST-ONLY update probe.
   */
  readonly secagg?: Partial<SecAggBankOptions>;
  /** `false` in simulations only (throwaway bank state): ledger commits without fsync, see openLedger. @default true */
  readonly durableLedger?: boolean;
}

/** The daemon's identity key: injected, read from the configured key file (hygiene-checked), or fresh for this process. */
function identityFor(deps: DaemonDeps): SecAggBankOptions['identity'] {
  if (deps.secagg?.identity) return deps.secagg.identity;
  const file = deps.options.identityKeyFile;
  if (file === undefined) return generateIdentityKey();
  const buf = readKeyFile(file);
  try {
    return parseIdentityKeyPem(buf.toString('utf8'));
  } finally {
    buf.fill(0);
  }
}

/** A running daemon. */
export interface Daemon {
  readonly state: DaemonState;
  /** Loads the data, connects and serves instructions until `stop()`; rejects on a start-up failure. */
  run(): Promise<void>;
  /** Aborts the current instruction, closes the link and the ledger; resolves once `run()` has ended. */
  stop(): Promise<void>;
}

/** Builds a daemon. Nothing happens until `run()`. */
export function createDaemon(deps: DaemonDeps): Daemon {
  const { options, logger } = deps;
  const clock = deps.clock ?? realClock;
  const stopper = new AbortController();
  // Keys, seeds and shares of secure-aggregation rounds live here, in memory only.
  const testDelay = Number(process.env['FEDFIN_TEST_UNMASK_DELAY_MS'] ?? 0); // crash tests only; see SecAggBankOptions
  const sessions = new SecAggSessions({ ...(testDelay > 0 ? { unmaskDelayMs: testDelay } : {}), ...deps.secagg, identity: identityFor(deps) });
  const handler: Handler = compose(
    [failureGuard, fromResultCache, secaggMiddleware(sessions), approvalGate, ...(deps.middleware ?? [])],
    byStage({ stats: statsHandler, fit: fitHandler, evaluate: evaluateHandler, ...secaggHandlers(sessions) }),
  );
  let state: DaemonState = 'starting';
  let running: Promise<void> | undefined;
  let link: GrpcLink | undefined;
  let ledger: Ledger | undefined;
  const setState = (s: DaemonState): void => {
    if (s === state) return;
    state = s;
    logger.debug('daemon state', { state: s });
    deps.onStateChange?.(s);
  };
  const createTrainer = deps.createTrainer ?? ((model: ModelSpec) => createTfjsTrainer({ model, logger }));

  async function join(l: GrpcLink, info: JoinInfo): Promise<void> {
    setState('connecting');
    const s = await withRetry(() => l.join(info), {
      settings: options.retry,
      clock,
      signal: stopper.signal,
      shouldRetry: (err) => actionFor(rpcCode(err)) !== 'fatal',
      onRetry: (err, attempt, delayMs) => {
        if (shouldLogAttempt(attempt)) logger.warn('coordinator not reachable; retrying', { coordinator: options.coordinatorAddress, attempt: attempt + 1, retryInMs: delayMs, error: (err as Error).message });
      },
    });
    logger.info('joined the federation', { coordinator: options.coordinatorAddress, member: options.memberId, heartbeatIntervalMs: s.heartbeatIntervalMs });
    setState('idle');
  }

  async function push(l: GrpcLink, info: JoinInfo, ins: InstructionInfo, outcome: Outcome): Promise<void> {
    const r = await withRetry(
      async () => {
        try {
          return await l.push(outcome.result, outcome.bytes);
        } catch (err) {
          if (actionFor(rpcCode(err)) === 'rejoin') await l.join(info);
          throw err;
        }
      },
      { settings: options.retry, clock, signal: stopper.signal, deadlineMs: ins.deadlineUnixMs, shouldRetry: (err) => actionFor(rpcCode(err)) !== 'fatal' },
    );
    if (r === 'closed') logger.warn('result dropped: the round closed before it arrived', { instruction: ins.instructionId });
    else logger.info('result pushed', { instruction: ins.instructionId, status: outcome.result.status, ...(r === 'duplicate' ? { alreadyAccepted: true } : {}) });
  }

  async function work(l: GrpcLink, info: JoinInfo, data: LocalData, db: Ledger, ins: InstructionInfo): Promise<void> {
    setState('working');
    logger.info('instruction received', { instruction: ins.instructionId, stage: ins.stage, job: ins.jobId, round: ins.round, banks: ins.numBanks });
    const ac = new AbortController();
    const onStop = (): void => ac.abort(stopper.signal.reason);
    stopper.signal.addEventListener('abort', onStop, { once: true });
    const beat = (): void => {
      l.heartbeat(ins.instructionId).then(
        (cancel) => {
          if (cancel.includes(ins.instructionId)) ac.abort(new FedfinError('protocol-violation', 'the coordinator cancelled the instruction (its round closed)'));
        },
        (err: unknown) => logger.debug('heartbeat failed', { error: (err as Error).message }),
      );
    };
    const timer = setInterval(beat, l.currentSession()?.heartbeatIntervalMs ?? 5000);
    try {
      const ctx: HandlerContext = {
        memberId: options.memberId,
        data,
        policy: options.sitePolicy,
        ledger: db,
        logger,
        signal: ac.signal,
        downloadModel: () => withRetry(() => l.download(ins, ac.signal), { settings: options.retry, clock, signal: ac.signal, deadlineMs: ins.deadlineUnixMs, shouldRetry: (e) => actionFor(rpcCode(e)) === 'retry' }),
        createTrainer,
      };
      let outcome: Outcome;
      try {
        outcome = await handler(ins, ctx);
      } catch (err) {
        if (ac.signal.aborted) {
          logger.warn('instruction aborted', { instruction: ins.instructionId, reason: (ac.signal.reason as Error | undefined)?.message ?? 'aborted' });
          return;
        }
        throw err;
      }
      await push(l, info, ins, outcome);
    } finally {
      clearInterval(timer);
      stopper.signal.removeEventListener('abort', onStop);
      if (!stopper.signal.aborted) setState('idle');
    }
  }

  async function serve(): Promise<void> {
    setState('loading-data');
    const backend = await initTfBackend(logger);
    logger.info('tfjs backend in use', { backend });
    const data = await loadLocalData({ ...options.data, holdoutFraction: options.holdoutFraction }, logger);
    ledger = openLedger(options.ledgerFile, { durable: deps.durableLedger ?? true });
    logger.info('ledger open', { file: options.ledgerFile, spends: ledger.spends().length });
    link = new GrpcLink(options.coordinatorAddress, deps.linkOptions);
    const info: JoinInfo = { memberId: options.memberId, acceptedTasks: options.sitePolicy.acceptedTasks, tfBackend: backend === 'node' ? 'tensorflow' : backend, softwareVersion: SOFTWARE_VERSION, identityPublicKey: sessions.options.identity.publicKey };
    let failures = 0;
    while (!stopper.signal.aborted) {
      try {
        if (!link.currentSession()) await join(link, info);
        const ins = await link.pull(options.pullWaitMs, stopper.signal);
        failures = 0;
        if (state !== 'idle') setState('idle');
        if (ins) await work(link, info, data, ledger, ins);
      } catch (err) {
        if (stopper.signal.aborted) break;
        const action = actionFor(rpcCode(err));
        if (action === 'rejoin') {
          logger.info('session expired; joining again');
          link.dropSession();
          continue;
        }
        if (rpcCode(err) !== undefined && link.currentSession() === undefined) throw err; // Join refused for good (revoked, bad id)
        setState('connecting');
        const delay = Math.round(clock.randomBelow(Math.min(options.retry.maxMs, options.retry.initialMs * options.retry.factor ** Math.min(failures, 30)) + 1));
        if (shouldLogAttempt(failures)) logger.warn(action === 'retry' ? 'coordinator unavailable; retrying' : 'link error; retrying', { attempt: failures + 1, retryInMs: delay, error: (err as Error).message });
        failures++;
        await clock.sleep(delay, stopper.signal).catch(() => undefined);
      }
    }
  }

  return {
    get state() {
      return state;
    },
    run() {
      running ??= serve()
        .catch((err: unknown) => {
          if (!stopper.signal.aborted) throw err;
        })
        .finally(() => {
          setState('stopping');
          sessions.wipeAll();
          link?.close();
          ledger?.close();
          setState('stopped');
        });
      return running;
    },
    async stop() {
      if (state === 'stopped') return;
      setState('stopping');
      stopper.abort(new FedfinError('internal', 'the daemon is stopping'));
      await running?.catch(() => undefined);
    },
  };
}
