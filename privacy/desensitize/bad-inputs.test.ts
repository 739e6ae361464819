/** The shared wrong-type table against every exported function of privacy/desensitize: each wrong argument gets a typed error saying what was expected. */
import { describe, expect, it } from 'vitest';
import { FedfinError } from '../../common/errors.js';
import { CREDIT_V1 } from '../../schema/builtin/credit-v1.js';
import { fieldOf } from '../../schema/field.js';
import { badInputs } from '../testing/bad-inputs.js';
import * as des from './index.js';
import { syntheticCredit } from './testing/credit-fixture.js';

const KEY = new Uint8Array(32).fill(7);
const POLICY = des.resolvePolicy({ schema: 'credit.v1', domain: 'bank-a/credit', k: 2, fields: { age: { action: 'generalize', bands: [18, 40, 101] } } }, CREDIT_V1);
const AGE = fieldOf(CREDIT_V1, 'age')!;
const RULE = POLICY.rules.get('age') as Parameters<typeof des.makeGeneralizer>[1];
const GEN = des.makeGeneralizer(AGE, RULE);
const PLAN = des.createRowPlan(CREDIT_V1, POLICY, KEY);
const RECORDS = syntheticCredit(4);
const RESULT = des.desensitizeDataset(CREDIT_V1, POLICY, KEY, RECORDS);
const COLUMN = { field: 'age', level: 0, maxLevel: 0, at: () => [1, 1] };

/** Wrong values for each kind of parameter: the shared table for numbers, then the non-objects, non-arrays … */
const others = (keep: (v: unknown) => boolean): unknown[] => badInputs().map((b) => b.value).filter(keep);
const BAD = {
  number: badInputs().map((b) => b.value),
  int: [...badInputs().map((b) => b.value), 1.5, -1],
  object: others((v) => typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)),
  array: others((v) => !Array.isArray(v)),
  string: others((v) => typeof v !== 'string'),
  bytes: others((v) => !(v instanceof Uint8Array)).concat([new Uint8Array(8)]),
  boolean: others((v) => typeof v !== 'boolean'),
  identifier: [undefined, null, {}, [1], NaN, Infinity, 1n],
  form: ['loose', undefined, 1],
} as const;
type Kind = keyof typeof BAD;

/** function name → a valid call and the kind of each argument (null: not checked here, e.g. a raw policy zod validates). */
const TABLE: Record<string, { call: (...a: unknown[]) => unknown; args: unknown[]; kinds: (Kind | null)[] }> = {
  defaultRule: { call: des.defaultRule as never, args: [AGE], kinds: ['object'] },
  resolvePolicy: { call: des.resolvePolicy as never, args: [{ schema: 'credit.v1', domain: 'd', k: 2 }, CREDIT_V1], kinds: [null, 'object'] },
  loadPolicy: { call: des.loadPolicy as never, args: ['/nonexistent/policy.json', CREDIT_V1], kinds: ['string', 'object'] },
  canonicalizeIdentifier: { call: des.canonicalizeIdentifier as never, args: [' A b ', 'casefold'], kinds: ['identifier', 'form'] },
  pseudonymize: { call: des.pseudonymize as never, args: [KEY, 'bank-a', 'x'], kinds: ['bytes', 'string', null] },
  loadKeyFile: { call: des.loadKeyFile as never, args: ['/nonexistent/key'], kinds: ['string'] },
  bandEdges: { call: des.bandEdges as never, args: [[0, 10, 20], 1], kinds: ['array', 'int'] },
  bandLabel: { call: des.bandLabel as never, args: [18, 25, true], kinds: ['number', 'number', 'boolean'] },
  makeGeneralizer: { call: des.makeGeneralizer as never, args: [AGE, RULE], kinds: ['object', 'object'] },
  levelCap: { call: des.levelCap as never, args: [GEN, RULE], kinds: ['object', 'object'] },
  measureClasses: { call: des.measureClasses as never, args: [[[1, 1]], undefined, { k: 2 }, 2], kinds: ['array', null, 'object', 'int'] },
  enforceAnonymity: { call: des.enforceAnonymity as never, args: [[COLUMN], undefined, 2, { k: 1, maxSuppression: 0 }], kinds: ['array', null, 'int', 'object'] },
  desensitizedSchema: { call: des.desensitizedSchema as never, args: [CREDIT_V1, POLICY], kinds: ['object', null] },
  policyLevels: { call: des.policyLevels as never, args: [POLICY], kinds: ['object'] },
  createRowPlan: { call: des.createRowPlan as never, args: [CREDIT_V1, POLICY, KEY], kinds: ['object', 'object', 'bytes'] },
  desensitizeRecord: { call: des.desensitizeRecord as never, args: [RECORDS[0], PLAN], kinds: ['object', 'object'] },
  desensitizeDataset: { call: des.desensitizeDataset as never, args: [CREDIT_V1, POLICY, KEY, RECORDS], kinds: ['object', 'object', 'bytes', 'array'] },
  buildReport: { call: () => RESULT.report, args: [], kinds: [] },
};

describe('privacy/desensitize argument guards', () => {
  it('covers every exported function, when the table is compared with the index', () => {
    const exported = Object.entries(des).filter(([, v]) => typeof v === 'function' && !/Error$/.test((v as { name: string }).name)).map(([k]) => k);
    expect(exported.filter((k) => !(k in TABLE))).toEqual([]);
  });

  it('buildReport rejects a non-object input, when given each wrong value', () => {
    for (const bad of BAD.object) expect(() => des.buildReport(bad as never), String(bad)).toThrow(/^buildReport: "input" expected object, got /);
  });

  for (const [name, { call, args, kinds }] of Object.entries(TABLE)) {
    it(`${name} rejects each wrong argument with a typed error saying what was expected, when the others are valid`, () => {
      // A valid call either succeeds or fails for a reason other than its arguments' types (a missing file).
      try {
        call(...args);
      } catch (err) {
        expect(err).toBeInstanceOf(FedfinError);
      }
      kinds.forEach((kind, i) => {
        if (kind === null) return;
        for (const bad of BAD[kind]) {
          const argv = args.slice();
          argv[i] = bad;
          let thrown: unknown;
          try {
            call(...argv);
          } catch (err) {
            thrown = err;
          }
          const label = `${name} arg ${i} = ${typeof bad === 'bigint' ? `${bad}n` : JSON.stringify(bad) ?? String(bad)}`;
          expect(thrown, label).toBeDefined();
          expect(thrown instanceof TypeError || thrown instanceof RangeError, label).toBe(true);
          expect((thrown as Error).message, label).toMatch(new RegExp(`^${name}: "[^"]+" expected .+, got `));
        }
      });
    });
  }
});
