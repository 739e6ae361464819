/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kégl 2011, "Algorithms for hyper-parameter
 * optimization"; hyperopt's adaptive Parzen estimator): split the finished trials at the γ quantile of the loss
 * into good and bad, fit a Parzen estimator per dimension to each (l(x), g(x)), draw candidates from l and keep
 * the one maximising l(x)/g(x) — the expected-improvement criterion of the paper. Deterministic given the reader.
 */
import type { RandomReader } from '../../common/random.js';
import { ndtr } from '../../privacy/math/log-erfc.js';
import { canonicalJson } from '../../schema/encoding.js';
import { sampleSpace, type Dimension, type Params } from './search-space.js';

/** A finished trial as TPE sees it: lower loss is better; `null` (a failed trial) counts as bad. */
export interface Observation {
  readonly params: Params;
  readonly loss: number | null;
}

/** TPE settings (see SearchSpecSchema). */
export interface TpeOptions {
  readonly gamma: number;
  readonly candidates: number;
  /** Below this many finished trials with a loss, proposals are uniform draws. */
  readonly startupTrials: number;
  /** The active part of a point (conditional dimensions dropped), to recognise a point already tried. @default identity */
  readonly activeOf?: (p: Params) => Params;
}

/** One dimension's estimator: a log-density and a sampler. */
interface Estimator {
  logDensity(x: unknown): number;
  sample(rng: RandomReader): unknown;
}

function normal(rng: RandomReader): number {
  return Math.sqrt(-2 * Math.log(rng.uniformPositive())) * Math.cos(2 * Math.PI * rng.uniform());
}

/**
 * The adaptive Parzen estimator of a numeric dimension in its search coordinate (log for logUniform): one
 * Gaussian per observation plus a prior component (centre of the range, σ = its width), each with σ = the larger
 * gap to its sorted neighbours, clipped to [width / min(100, n + 1), width], all truncated to the range.
 * Integers are bins [k − ½, k + ½]: their mass, not a density, is compared.
 */
function numericEstimator(d: Dimension, observed: readonly number[]): Estimator {
  const log = d.logUniform !== undefined;
  const [lo0, hi0] = (d.int ?? d.uniform ?? d.logUniform)!;
  const to = (x: number): number => (log ? Math.log(x) : x);
  const [a, b] = d.int ? [lo0 - 0.5, hi0 + 0.5] : [to(lo0), to(hi0)];
  const width = b - a;
  const prior = (a + b) / 2;
  const mus = [...observed.map(to), prior].sort((x, y) => x - y);
  const minSigma = width / Math.min(100, mus.length);
  const sigmas = mus.map((m, i) => {
    if (m === prior && mus.length === 1) return width;
    const left = i > 0 ? m - mus[i - 1]! : m - a;
    const right = i < mus.length - 1 ? mus[i + 1]! - m : b - m;
    return Math.min(width, Math.max(minSigma, left, right));
  });
  // The prior keeps its full width whatever its neighbours.
  const pi = mus.indexOf(prior);
  sigmas[pi] = width;
  const mass = mus.map((m, i) => ndtr((b - m) / sigmas[i]!) - ndtr((a - m) / sigmas[i]!));
  const w = 1 / mus.length;
  return {
    logDensity(x) {
      const v = to(x as number);
      let p = 0;
      for (let i = 0; i < mus.length; i++) {
        const m = mus[i]!;
        const s = sigmas[i]!;
        p += d.int ? (w * (ndtr((Math.min(b, v + 0.5) - m) / s) - ndtr((Math.max(a, v - 0.5) - m) / s))) / mass[i]! : (w * Math.exp(-0.5 * ((v - m) / s) ** 2)) / (s * Math.sqrt(2 * Math.PI) * mass[i]!);
      }
      return Math.log(Math.max(p, 1e-300));
    },
    sample(rng) {
      const i = Math.min(mus.length - 1, Math.floor(rng.uniform() * mus.length));
      let v = NaN;
      for (let t = 0; t < 64 && !(v >= a && v <= b); t++) v = mus[i]! + sigmas[i]! * normal(rng);
      v = Math.min(b, Math.max(a, Number.isNaN(v) ? mus[i]! : v));
      if (d.int) return Math.min(hi0, Math.max(lo0, Math.round(v)));
      return log ? Math.min(hi0, Math.max(lo0, Math.exp(v))) : v;
    },
  };
}

/** A categorical estimator: observed counts plus one pseudo-observation spread evenly over the choices. */
function choiceEstimator(d: Dimension, observed: readonly unknown[]): Estimator {
  const keys = d.choice!.map((c) => canonicalJson(c));
  const counts = keys.map((k) => observed.filter((o) => canonicalJson(o) === k).length + 1 / keys.length);
  const total = counts.reduce((s, c) => s + c, 0);
  const p = counts.map((c) => c / total);
  return {
    logDensity: (x) => Math.log(p[keys.indexOf(canonicalJson(x))] ?? 1e-300),
    sample(rng) {
      let u = rng.uniform();
      for (let i = 0; i < p.length; i++) if ((u -= p[i]!) < 0) return d.choice![i];
      return d.choice!.at(-1);
    },
  };
}

function estimator(d: Dimension, observed: readonly unknown[]): Estimator {
  return d.choice ? choiceEstimator(d, observed) : numericEstimator(d, observed as number[]);
}

/**
 * The next point to try. Below `startupTrials` finished trials (or with no finished trial at all) a uniform
 * draw; otherwise the best of `candidates` draws from l(x) by Σ_d log l_d(x) − log g_d(x), preferring a point
 * not tried yet. A dimension inactive in a trial (a conditional one) is fitted on the trials where it was active.
 */
export function tpePropose(space: Readonly<Record<string, Dimension>>, history: readonly Observation[], rng: RandomReader, o: TpeOptions): Params {
  const finished = history.filter((h): h is Observation & { loss: number } => h.loss !== null && Number.isFinite(h.loss));
  if (finished.length < Math.max(1, o.startupTrials)) return sampleSpace(space, rng);
  // Stable sort: ties keep trial order, so the split is deterministic.
  const sorted = finished.map((h, i) => ({ h, i })).sort((x, y) => x.h.loss - y.h.loss || x.i - y.i).map((x) => x.h);
  const nGood = Math.max(1, Math.ceil(o.gamma * sorted.length));
  const good = sorted.slice(0, nGood);
  const bad = [...sorted.slice(nGood), ...history.filter((h) => h.loss === null || !Number.isFinite(h.loss))];
  const dims = Object.entries(space).map(([key, d]) => {
    const of = (hs: readonly Observation[]): unknown[] => hs.filter((h) => key in h.params).map((h) => h.params[key]);
    return { key, d, l: estimator(d, of(good)), g: estimator(d, of(bad)) };
  });
  const tried = new Set(history.map((h) => canonicalJson(h.params)));
  let best: { p: Params; score: number; fresh: boolean } | undefined;
  for (let c = 0; c < o.candidates; c++) {
    const p: Params = {};
    let score = 0;
    for (const { key, l, g } of dims) {
      const x = l.sample(rng);
      p[key] = x;
      score += l.logDensity(x) - g.logDensity(x);
    }
    const fresh = !tried.has(canonicalJson(o.activeOf ? o.activeOf(p) : p));
    if (!best || (fresh && !best.fresh) || (fresh === best.fresh && score > best.score)) best = { p, score, fresh };
  }
  return best!.p;
}

/** The default number of startup (random) trials for a budget: max(2, min(10, ⌊trials / 3⌋)). */
export function defaultStartupTrials(trials: number): number {
  return Math.max(2, Math.min(10, Math.floor(trials / 3)));
}
