/**
 * Folds of federated k-fold cross-validation: each bank folds its **own** rows, stratified by label and
 * seeded per bank, so a bank's folds depend on its labels and the seed only — never on another bank.
 */
import { assertInt } from '../common/assert.js';
import { RandomReader } from '../common/random.js';
import { seededRandom } from '../common/seeded-random.js';

/** The largest K `--cv` accepts. */
export const MAX_CV_FOLDS = 20;

/** One bank's fold plan. */
export interface BankFolds {
  readonly bank: string;
  /** `folds[r]` is the fold (0 … K−1) of the bank's r-th row (in its file's order). */
  readonly folds: readonly number[];
  /** Rows per fold. */
  readonly rows: readonly number[];
  /** Positive rows per fold. */
  readonly positives: readonly number[];
}

/**
 * Assigns each of `labels` (0/1) to one of `k` folds: per class a seeded shuffle dealt round-robin, the
 * negatives starting at a random fold and the positives continuing where the negatives stopped. So every
 * fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of each class c, and ⌊n/k⌋ or ⌈n/k⌉ rows in all.
 * @returns the fold of each row.
 */
export function stratifiedFolds(labels: readonly number[], k: number, rng: RandomReader): number[] {
  assertInt('stratifiedFolds', 'k', k, 2, MAX_CV_FOLDS);
  const folds = new Array<number>(labels.length).fill(-1);
  let at = Math.floor(rng.uniform() * k);
  for (const c of [0, 1]) {
    const idx = rng.shuffle(labels.flatMap((y, i) => (y === c ? [i] : [])));
    for (const i of idx) {
      folds[i] = at;
      at = (at + 1) % k;
    }
  }
  const stray = folds.indexOf(-1);
  if (stray >= 0) throw new RangeError(`stratifiedFolds: "labels[${stray}]" expected 0 or 1, got ${labels[stray]}`);
  return folds;
}

/**
 * Every bank's folds, each from its own stream `SEED:cv:BANK` (simulation only, like every seeded stream).
 * @param banks per bank, its name and its rows' labels in file order.
 */
export function planFolds(banks: readonly { readonly bank: string; readonly labels: readonly number[] }[], k: number, seed: number): BankFolds[] {
  return banks.map(({ bank, labels }) => {
    const folds = stratifiedFolds(labels, k, new RandomReader(seededRandom(`${seed}:cv:${bank}`)));
    const rows = new Array<number>(k).fill(0);
    const positives = new Array<number>(k).fill(0);
    folds.forEach((f, r) => {
      rows[f]!++;
      if (labels[r] === 1) positives[f]!++;
    });
    return { bank, folds, rows, positives };
  });
}

/** The row indices (into the bank's file) of fold `fold` and of the other folds. */
export function foldSplit(plan: BankFolds, fold: number): { train: number[]; evaluate: number[] } {
  const train: number[] = [];
  const evaluate: number[] = [];
  plan.folds.forEach((f, r) => (f === fold ? evaluate : train).push(r));
  return { train, evaluate };
}

/** What stops a plan (`refusals`) and what only weakens it (`warnings`). */
export interface FoldCheck {
  readonly refusals: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Checks a plan. Refused: a bank with fewer rows than folds (one of its folds would be empty, so its daemon
 * would have nothing to evaluate), and a fold with no positive or no negative row across all banks (no
 * federated AUC). Warned: a bank with some but fewer than K rows of a class — its folds without that class
 * give an undefined local-only AUC/KS (null), while the federated fold metrics pool every bank.
 */
export function checkFolds(plans: readonly BankFolds[], k: number): FoldCheck {
  const refusals: string[] = [];
  const warnings: string[] = [];
  for (const p of plans) {
    const n = p.folds.length;
    const pos = p.positives.reduce((a, b) => a + b, 0);
    if (n < k) refusals.push(`${p.bank} has ${n} rows, fewer than --cv ${k}: one of its folds would be empty`);
    else {
      for (const [what, count] of [['positive', pos], ['negative', n - pos]] as const) {
        if (count > 0 && count < k) warnings.push(`${p.bank} has ${count} ${what} row(s), fewer than --cv ${k}: ${k - count} of its folds have none, so its local-only AUC/KS there is undefined (the federated fold metrics pool every bank)`);
      }
    }
  }
  if (refusals.length === 0) {
    for (let f = 0; f < k; f++) {
      const rows = plans.reduce((a, p) => a + p.rows[f]!, 0);
      const pos = plans.reduce((a, p) => a + p.positives[f]!, 0);
      if (pos === 0 || pos === rows) refusals.push(`fold ${f + 1} has no ${pos === 0 ? 'positive' : 'negative'} row in any bank: its federated AUC is undefined`);
    }
  }
  return { refusals, warnings };
}
