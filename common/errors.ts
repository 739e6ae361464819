/** Typed domain errors with stable machine-readable codes; callers branch on `code`, never on text. */
import type { z } from 'zod';

/** Every stable error code fedfin raises. Kebab-case; never renamed once released. */
export type FedfinErrorCode =
  | 'config-invalid'
  | 'usage'
  | 'file-not-found'
  | 'file-unreadable'
  | 'data-invalid'
  | 'schema-invalid'
  | 'mapping-invalid'
  | 'policy-invalid'
  | 'key-invalid'
  | 'key-file-insecure'
  | 'protocol-violation'
  | 'client-unavailable'
  | 'inconsistent-replies'
  | 'aggregation-failed'
  | 'privacy-budget-exhausted'
  | 'decryption-failed'
  | 'signature-invalid'
  | 'share-invalid'
  | 'job-not-found'
  | 'encoding-mismatch'
  | 'internal';

/** Base class: a message for humans plus a stable `code` for programs. */
export class FedfinError extends Error {
  constructor(
    readonly code: FedfinErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A config, job spec or other structured input failed zod validation.
 * `issues` keeps zod's paths so the CLI can print each one; `source` names the file or flag.
 */
export class ConfigError extends FedfinError {
  constructor(
    readonly source: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super('config-invalid', `${source}: ${issues.map(formatIssue).join('; ')}`);
  }
}

/** A zod issue as `path.to.field: message`. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  return `${path}: ${issue.message}`;
}

/** A command-line usage error: wrong flag, missing argument. Exit code 2. */
export class UsageError extends FedfinError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** A file that should exist does not, or cannot be read. */
export class FileError extends FedfinError {
  constructor(
    readonly file: string,
    reason: string,
    code: 'file-not-found' | 'file-unreadable' = 'file-unreadable',
    options?: { cause?: unknown },
  ) {
    super(code, `${file}: ${reason}`, options);
  }
}

/** A privacy budget would be exceeded; fails closed. */
export class PrivacyBudgetExhaustedError extends FedfinError {
  constructor(
    readonly spent: number,
    readonly limit: number,
    readonly delta: number,
  ) {
    super(
      'privacy-budget-exhausted',
      `privacy budget exhausted: epsilon ${spent.toFixed(3)} > limit ${limit} at delta ${delta}`,
    );
  }
}

/** True when `err` is a FedfinError with the given code. */
export function hasCode(err: unknown, code: FedfinErrorCode): boolean {
  return err instanceof FedfinError && err.code === code;
}
