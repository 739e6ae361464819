import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, FedfinError, PrivacyBudgetExhaustedError, hasCode } from './errors.js';

describe('errors', () => {
  it('carries a stable code and builds its own message', () => {
    const e = new PrivacyBudgetExhaustedError(3.21, 3, 1e-5);
    expect(e.code).toBe('privacy-budget-exhausted');
    expect(e.message).toBe('privacy budget exhausted: epsilon 3.210 > limit 3 at delta 0.00001');
    expect(hasCode(e, 'privacy-budget-exhausted')).toBe(true);
    expect(e).toBeInstanceOf(FedfinError);
    expect(e.name).toBe('PrivacyBudgetExhaustedError');
  });

  it('renders zod issues with their paths, when a config is invalid', () => {
    const r = z.object({ rounds: z.number().int().positive() }).safeParse({ rounds: -1 });
    expect(r.success).toBe(false);
    const e = new ConfigError('job.json', r.error!.issues);
    expect(e.message).toMatch(/^job\.json: rounds: /);
  });
});
