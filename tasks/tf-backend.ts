/** Chooses the TensorFlow.js backend at run time (tfjs-node → wasm → cpu), once per process, and says which one runs. */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ConfigError, FedfinError } from '../common/errors.js';
import type { Logger } from '../common/log.js';

/** Our names for the backends; `node` is tfjs's `tensorflow` backend from `@tensorflow/tfjs-node`. */
export type TfBackendName = 'node' | 'wasm' | 'cpu';

/** The preference order when nothing is forced: native libtensorflow, then wasm (~2.5× cpu here), then pure JS. */
export const TF_BACKEND_ORDER: readonly TfBackendName[] = ['node', 'wasm', 'cpu'];

/** Environment variable that forces one backend (`cpu`, `wasm` or `node`). */
export const TF_BACKEND_ENV = 'FEDFIN_TF_BACKEND';

const TF_NAME: Record<TfBackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };
const ForcedBackendSchema = z.enum(['node', 'wasm', 'cpu']).optional();

let chosen: Promise<TfBackendName> | undefined;

/**
 * Registers a backend's kernels with tfjs. The native package is imported through a variable so that
 * neither TypeScript nor the bundler insists on it: it is an optionalDependency that often cannot install.
 */
async function register(name: TfBackendName): Promise<boolean> {
  try {
    if (name === 'node') {
      const spec = '@tensorflow/tfjs-node';
      await import(spec);
    } else if (name === 'wasm') {
      // The Node build of tfjs-backend-wasm locates its .wasm beside its own file; no setWasmPaths needed.
      await import('@tensorflow/tfjs-backend-wasm');
    }
    return tf.findBackendFactory(TF_NAME[name]) != null;
  } catch {
    return false;
  }
}

/**
 * Makes `name` the active tfjs backend, loading its package if needed.
 * Used by initTfBackend, and by tests and benchmarks that compare backends in one process.
 * @returns true when the backend is now active; false when it could not be loaded or initialised.
 */
export async function useTfBackend(name: TfBackendName): Promise<boolean> {
  if (!(await register(name))) return false;
  try {
    const ok = await tf.setBackend(TF_NAME[name]);
    if (ok) await tf.ready();
    return ok;
  } catch {
    return false;
  }
}

/** The backend tfjs is running right now, in our naming (undefined before any backend is set). */
export function activeTfBackend(): TfBackendName | undefined {
  const current = tf.getBackend() as string | undefined;
  return (Object.keys(TF_NAME) as TfBackendName[]).find((k) => TF_NAME[k] === current);
}

/**
 * Picks the fastest available backend once per process and logs it; later calls return the same answer.
 * Order: `@tensorflow/tfjs-node` if it loads, else `@tensorflow/tfjs-backend-wasm`, else the pure-JS CPU
 * backend. `FEDFIN_TF_BACKEND=cpu|wasm|node` (or `options.force`) forces one and fails if it cannot load.
 * @param logger receives one info line naming the backend (and a warning for each one skipped).
 * @param options.force overrides the environment variable.
 * @returns the backend now in use.
 * @throws ConfigError when FEDFIN_TF_BACKEND holds an unknown name; FedfinError('config-invalid') when the
 *   forced backend cannot be loaded.
 */
export function initTfBackend(logger?: Logger, options: { force?: TfBackendName } = {}): Promise<TfBackendName> {
  chosen ??= choose(logger, options.force).catch((err: unknown) => {
    chosen = undefined; // a failed forced choice must not poison later calls with a different setting
    throw err;
  });
  return chosen;
}

async function choose(logger: Logger | undefined, force: TfBackendName | undefined): Promise<TfBackendName> {
  const fromEnv = ForcedBackendSchema.safeParse(process.env[TF_BACKEND_ENV] || undefined);
  if (!fromEnv.success) throw new ConfigError(TF_BACKEND_ENV, fromEnv.error.issues);
  const forced = force ?? fromEnv.data;
  if (forced) {
    if (!(await useTfBackend(forced))) {
      throw new FedfinError('config-invalid', `${TF_BACKEND_ENV}=${forced}: the ${forced} TensorFlow.js backend could not be loaded`);
    }
    logger?.info('tfjs backend', { backend: forced, forced: true });
    return forced;
  }
  for (const name of TF_BACKEND_ORDER) {
    if (await useTfBackend(name)) {
      logger?.info('tfjs backend', { backend: name });
      return name;
    }
    logger?.debug('tfjs backend unavailable', { backend: name });
  }
  throw new FedfinError('internal', 'no TensorFlow.js backend could be initialised (not even cpu)');
}

/** Forgets the memoised choice so the next initTfBackend chooses again. For tests only. */
export function resetTfBackendChoiceForTests(): void {
  chosen = undefined;
}
