/** The task registry: what can be learned, on which schemas, with which model. Other tasks join here. */
import { FedfinError } from '../common/errors.js';
import type { DatasetSchema } from '../schema/field.js';
import type { JobSpec } from '../schema/job-spec.js';
import type { MlpSpec } from './models/mlp.js';
import { CREDIT_SCORING } from './credit-scoring.js';

/**
 * A learning task. Pure description: the daemon builds its trainer from `modelSpec`, the coordinator
 * its initial model, and both check a job's schema against `schemaKinds`.
 */
export interface TaskDefinition {
  /** Stable name used in job specs, e.g. `credit-scoring`. */
  readonly name: string;
  readonly description: string;
  /** Schema kinds the task accepts (`credit` covers credit.v1 and custom credit schemas). */
  readonly schemaKinds: readonly DatasetSchema['kind'][];
  /** The label field the task trains on, for a schema. */
  labelField(schema: DatasetSchema): string;
  /** The model for a job, once the encoded feature width is known. */
  modelSpec(job: JobSpec, numFeatures: number): MlpSpec;
}

const TASKS: ReadonlyMap<string, TaskDefinition> = new Map([[CREDIT_SCORING.name, CREDIT_SCORING]]);

/** Names of every registered task. */
export function taskNames(): string[] {
  return [...TASKS.keys()];
}

/**
 * The task called `name`.
 * @throws FedfinError('config-invalid') naming the known tasks.
 */
export function getTask(name: string): TaskDefinition {
  const t = TASKS.get(name);
  if (!t) throw new FedfinError('config-invalid', `unknown task "${name}": expected one of ${taskNames().join(', ')}`);
  return t;
}
