/** The demo profiles by task name: `fedfin demo --task NAME` picks one. A task's demo joins with one line here. */
import { UsageError } from '../../common/errors.js';
import { CREDIT_DEMO } from './credit-profile.js';
import { FRAUD_DEMO } from './fraud-profile.js';
import { MARKET_DEMO } from './market-profile.js';
import type { DemoTaskProfile } from './task-profile.js';

const PROFILES: ReadonlyMap<string, DemoTaskProfile> = new Map<string, DemoTaskProfile>([
  [CREDIT_DEMO.task, CREDIT_DEMO],
  [FRAUD_DEMO.task, FRAUD_DEMO],
  [MARKET_DEMO.task, MARKET_DEMO],
]);

/** Tasks that have a demo, in registration order. */
export function demoTaskNames(): string[] {
  return [...PROFILES.keys()];
}

/**
 * The demo profile of `task`.
 * @throws UsageError naming the tasks that have a demo.
 */
export function demoProfile(task: string): DemoTaskProfile {
  const p = PROFILES.get(task);
  if (!p) throw new UsageError(`--task: expected one of ${demoTaskNames().join(', ')}, got "${task}"`);
  return p;
}
