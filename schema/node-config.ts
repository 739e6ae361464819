/** The bank daemon's config file (`fedfin client start --config bank.json`): zod schema, parsing and the compile step. */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, FileError } from '../common/errors.js';
import { DATA_FORMATS, type DataFormat } from './readers/index.js';

const MEMBER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HOST_PORT = /^[^\s:/]+(:\d{1,5})$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

const DataSchema = z
  .object({
    file: z.string().min(1).describe('the bank extract (CSV, Parquet or JSON Lines), relative to the config file'),
    schema: z.string().min(1).describe('schema id (e.g. credit.v1) or a custom schema .json file'),
    mapping: z.string().min(1).optional().describe('column mapping (JSON); without it columns are named like schema fields'),
    policy: z.string().min(1).describe('desensitisation policy (JSON)'),
    keyFile: z.string().min(1).describe('pseudonymisation key: ≥ 32 random bytes, mode 0600'),
    format: z.enum(DATA_FORMATS).optional().describe('file format; detected from the extension when absent'),
    maxRejectFraction: z.number().min(0).max(1).default(0.01).describe('share of rows that may fail validation before the daemon refuses to start'),
  })
  .strict();

const SitePolicySchema = z
  .object({
    acceptedTasks: z.array(z.string().min(1)).min(1).describe('tasks this bank trains, e.g. ["credit-scoring"]'),
    maxEpsilon: z.number().positive().max(1000).describe('the bank never lets one dataset pass this ε (at `delta`) over all jobs'),
    delta: z.number().positive().lt(1).default(1e-5).describe('δ at which the dataset budget is measured; jobs with a larger δ are refused'),
    minBanksPerRound: z.number().int().min(1).max(10_000).default(2).describe('refuse rounds with fewer banks than this'),
    requireDp: z.boolean().default(false).describe('refuse jobs without record-level DP'),
    requireApproval: z.boolean().default(false).describe('refuse every instruction of a job until this bank approves it (`fedfin client approve`)'),
  })
  .strict();

const RetrySchema = z
  .object({
    initialMs: z.number().int().min(1).max(600_000).default(200),
    maxMs: z.number().int().min(1).max(3_600_000).default(10_000),
    factor: z.number().min(1).max(10).default(2),
  })
  .strict()
  .refine((r) => r.maxMs >= r.initialMs, { message: 'maxMs must be ≥ initialMs', path: ['maxMs'] });

/** The config file as written by a bank's ML platform team. Every key is documented in docs/client.md. */
export const NodeConfigSchema = z
  .object({
    memberId: z.string().regex(MEMBER_ID, 'member id: 1–64 letters, digits, ".", "_" or "-"').describe('this bank\'s id in the federation'),
    coordinator: z.string().regex(HOST_PORT, 'expected host:port, e.g. 127.0.0.1:7070').describe('the coordinator\'s Fleet address'),
    dataDir: z.string().min(1).default('./state').describe('where the ledger lives (DIR/bank.db)'),
    data: DataSchema,
    holdoutFraction: z.number().min(0).lt(1).default(0.2).describe('share of rows kept for federated evaluation'),
    sitePolicy: SitePolicySchema,
    pullWaitMs: z.number().int().min(100).max(300_000).default(20_000).describe('long-poll length of PullInstruction'),
    retry: RetrySchema.default({ initialMs: 200, maxMs: 10_000, factor: 2 }),
    identityKeyFile: z.string().min(1).optional().describe('Ed25519 identity key (PKCS#8 PEM, mode 0600; the kit\'s identity.key): signs secure-aggregation advertisements. Without it the daemon uses a fresh key per process'),
    kit: z.string().min(1).optional().describe('the bank\'s provisioned kit folder (kit.json, TLS pair, CA), relative to the config file: mutual TLS'),
    insecure: z.boolean().default(false).describe('plaintext gRPC without a kit; refused unless the coordinator is on loopback'),
  })
  .strict();

export type NodeConfigInput = z.input<typeof NodeConfigSchema>;
export type NodeConfig = z.output<typeof NodeConfigSchema>;

/** The site policy as the daemon enforces it. */
export type SitePolicy = NodeConfig['sitePolicy'];

/** Backoff settings of the coordinator link. */
export interface RetrySettings {
  /** First delay cap. @default 200 */
  readonly initialMs: number;
  /** Largest delay cap. @default 10000 */
  readonly maxMs: number;
  /** Growth of the cap per attempt. @default 2 */
  readonly factor: number;
}

/** Compiled daemon options: every path absolute, every default filled, units in names. */
export interface DaemonOptions {
  readonly memberId: string;
  readonly coordinatorAddress: string;
  readonly dataDir: string;
  /** `DIR/bank.db`. */
  readonly ledgerFile: string;
  readonly data: {
    readonly file: string;
    /** A builtin schema id, or an absolute path to a custom schema file. */
    readonly schema: string;
    readonly mappingFile: string | undefined;
    readonly policyFile: string;
    readonly keyFile: string;
    readonly format: DataFormat | undefined;
    readonly maxRejectFraction: number;
  };
  readonly holdoutFraction: number;
  readonly sitePolicy: SitePolicy;
  readonly pullWaitMs: number;
  readonly retry: RetrySettings;
  /** Absolute path of the Ed25519 identity key (secure aggregation), if configured. */
  readonly identityKeyFile?: string;
  /** Absolute path of the kit folder (mutual TLS); undefined without one. */
  readonly kitDir?: string | undefined;
  /** Plaintext was asked for in the config (`insecure: true`). */
  readonly insecure?: boolean;
}

/**
 * Validates a parsed config.
 * @param source names the file in errors.
 * @throws ConfigError with zod's paths (`data.file: …`, `sitePolicy.maxEpsilon: …`).
 */
export function parseNodeConfig(raw: unknown, source = 'node config'): NodeConfig {
  const parsed = NodeConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues);
  return parsed.data;
}

/**
 * Compiles a validated config: relative paths are resolved against `baseDir` (the config file's folder),
 * so a daemon started from any working directory reads the same files.
 */
export function compileNodeConfig(config: NodeConfig, baseDir: string): DaemonOptions {
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  const dataDir = at(config.dataDir);
  const schemaRef = config.data.schema.endsWith('.json') ? at(config.data.schema) : config.data.schema;
  return {
    memberId: config.memberId,
    coordinatorAddress: config.coordinator,
    dataDir,
    ledgerFile: resolve(dataDir, 'bank.db'),
    data: {
      file: at(config.data.file),
      schema: schemaRef,
      mappingFile: config.data.mapping === undefined ? undefined : at(config.data.mapping),
      policyFile: at(config.data.policy),
      keyFile: at(config.data.keyFile),
      format: config.data.format,
      maxRejectFraction: config.data.maxRejectFraction,
    },
    holdoutFraction: config.holdoutFraction,
    sitePolicy: config.sitePolicy,
    pullWaitMs: config.pullWaitMs,
    retry: { ...config.retry },
    ...(config.identityKeyFile !== undefined ? { identityKeyFile: at(config.identityKeyFile) } : {}),
    kitDir: config.kit === undefined ? undefined : at(config.kit),
    insecure: config.insecure,
  };
}

/**
 * Reads, validates and compiles a config file.
 * @throws FileError when the file is missing or unreadable; ConfigError when it is not JSON or invalid.
 */
export function loadNodeConfig(file: string): DaemonOptions {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FileError(file, missing ? 'no such config file' : `cannot read the config file (${(err as Error).message})`, missing ? 'file-not-found' : 'file-unreadable', { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config ${file}`, [{ code: 'custom', path: [], message: `not valid JSON (${(err as Error).message})`, input: undefined } as z.core.$ZodIssue]);
  }
  return compileNodeConfig(parseNodeConfig(raw, `config ${file}`), dirname(resolve(file)));
}
