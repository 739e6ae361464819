/** Tests of the demo profile registry: every profile is well-formed, and an unknown task is a usage error naming the known ones. */
import { describe, expect, it } from 'vitest';
import { parseJobSpec } from '../../schema/job-spec.js';
import { getTask } from '../../tasks/registry.js';
import { demoProfile, demoTaskNames } from './task-profiles.js';

describe('demo task profiles', () => {
  it('starts with credit-scoring, whose job parses and names its own task and schema', () => {
    expect(demoTaskNames()[0]).toBe('credit-scoring');
    for (const name of demoTaskNames()) {
      const p = demoProfile(name);
      const d = p.defaults;
      const job = parseJobSpec(p.jobSpec({ rounds: d.rounds, epsilon: d.epsilon, model: d.model, seed: 1, localEpochs: d.localEpochs, learningRate: d.learningRate }));
      expect(job.task).toBe(name);
      expect(job.schema).toBe(p.schema);
      expect(getTask(name).name).toBe(name);
      expect(p.metrics.length).toBeGreaterThan(0);
      expect(d.bankFractions.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('refuses an unknown task with a usage error naming the tasks that have a demo', () => {
    expect(() => demoProfile('weather')).toThrow(/--task: expected one of credit-scoring.*got "weather"/);
  });
});
