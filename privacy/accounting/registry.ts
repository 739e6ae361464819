/** Accountant registry: builds an accountant by mechanism name or from persisted state (Opacus accountants/registry.py). */
import { z } from 'zod';
import { ConfigError } from '../../common/errors.js';
import type { Accountant } from './accountant.js';
import { RdpAccountant } from './rdp-accountant.js';

/** The mechanisms an accountant can be created for. */
export const ACCOUNTANT_MECHANISMS = ['rdp'] as const;
export type AccountantMechanism = (typeof ACCOUNTANT_MECHANISMS)[number];

const FACTORIES: Record<AccountantMechanism, { create(): Accountant; fromState(state: unknown): Accountant }> = {
  rdp: { create: () => new RdpAccountant(), fromState: (state) => RdpAccountant.fromState(state) },
};

const MechanismOnly = z.looseObject({ mechanism: z.enum(ACCOUNTANT_MECHANISMS) });

/**
 * A fresh accountant of the named kind, or one restored from persisted state.
 *
 * @param from - a mechanism name (AccountantMechanism) (`'rdp'`), or a state object as returned by `Accountant.toState()`.
 * @throws {ConfigError} when the state names an unknown mechanism or fails validation.
 * @example createAccountant({ mechanism: 'rdp', history: [[1.1, 0.01, 10000]] }).epsilon(1e-5).epsilon // ≈ 5.632
 */
export function createAccountant(from: unknown): Accountant {
  if (typeof from === 'string') {
    const parsed = z.enum(ACCOUNTANT_MECHANISMS).safeParse(from);
    if (!parsed.success) throw new ConfigError('accountant mechanism', parsed.error.issues);
    return FACTORIES[parsed.data].create();
  }
  const parsed = MechanismOnly.safeParse(from);
  if (!parsed.success) throw new ConfigError('accountant state', parsed.error.issues);
  return FACTORIES[parsed.data.mechanism].fromState(from);
}
