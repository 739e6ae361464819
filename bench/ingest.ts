/** `npm run bench -- ingest`: bare csv-parse rate vs read → map → validate → encode rate, and peak memory at 250k vs 1M rows. */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { AtomicWriter } from '../common/atomic-file.js';
import { RandomReader } from '../common/random.js';
import { seededRandom } from '../common/seeded-random.js';
import { CREDIT_V1 } from '../schema/builtin/credit-v1.js';
import { momentFields } from '../schema/encoding-stats.js';
import { createEncodingSpec, encodeInto } from '../schema/encoding.js';
import type { DesensitizedRecord } from '../schema/desensitized.js';
import { acceptedRecords } from '../schema/validate.js';

const COLUMNS = [
  'application_id', 'age', 'sex', 'marital_status', 'annual_income', 'employment_status', 'employment_years', 'debt_to_income',
  'installment_rate', 'credit_history', 'existing_credits', 'checking_status', 'savings_band', 'loan_amount', 'loan_term_months',
  'loan_purpose', 'housing', 'has_telephone', 'application_date', 'default',
];

const pick = <T>(r: RandomReader, xs: readonly T[]): T => xs[r.int(xs.length)]!;
const cats = (name: string): readonly string[] => CREDIT_V1.fields.find((f) => f.name === name)!.categories!;

/** Writes `n` valid credit.v1 rows (identity mapping), deterministic for a given n. */
async function generate(path: string, n: number): Promise<void> {
  const r = new RandomReader(seededRandom(`ingest-bench-${n}`), 1 << 16);
  const w = new AtomicWriter(path);
  try {
    await w.write(`${COLUMNS.join(',')}\n`);
    let batch: string[] = [];
    for (let i = 0; i < n; i++) {
      const income = 12_000 + r.int(150_000);
      const month = 1 + r.int(12);
      batch.push([
        `APP${i}`, 18 + r.int(70), pick(r, cats('sex')), pick(r, cats('marital_status')), income, pick(r, cats('employment_status')),
        (r.int(400) / 10).toFixed(1), (r.uniform() * 2).toFixed(3), r.uniform().toFixed(3), pick(r, cats('credit_history')), r.int(6),
        pick(r, cats('checking_status')), pick(r, cats('savings_band')), 500 + r.int(50_000), 6 + r.int(84), pick(r, cats('loan_purpose')),
        pick(r, cats('housing')), r.int(2) === 1 ? 'true' : 'false', `2023-${month < 10 ? '0' : ''}${month}-1${r.int(10)}`, r.int(10) < 3 ? 1 : 0,
      ].join(','));
      if (batch.length === 10_000) {
        await w.write(`${batch.join('\n')}\n`);
        batch = [];
      }
    }
    if (batch.length > 0) await w.write(`${batch.join('\n')}\n`);
    await w.commit();
  } catch (err) {
    w.abort();
    throw err;
  }
}

interface Phase {
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** Rows per CPU-second (user + system): steadier than wall time on a shared machine. */
  readonly rowsPerCpuSecond: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
}

/** Runs `body`, sampling RSS and heap every 20 ms (and once at the end). */
async function measure(body: () => Promise<number>): Promise<Phase> {
  let rss = 0;
  let heap = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 20);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const rows = await body();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(timer);
  sample();
  const mb = (b: number): number => Math.round(b / 1048576);
  return { rows, seconds: +seconds.toFixed(2), rowsPerSecond: Math.round(rows / seconds), rowsPerCpuSecond: Math.round(rows / cpuSeconds), peakRssMb: mb(rss), peakHeapMb: mb(heap) };
}

async function bareParse(file: string): Promise<number> {
  const parser = createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(parse({ delimiter: ',', bom: true, relax_column_count: true, skip_empty_lines: true }));
  let n = -1;
  for await (const _ of parser) n++;
  return n;
}

async function validateEncode(file: string): Promise<number> {
  const stats = Object.fromEntries(momentFields(CREDIT_V1).map((f) => [f.name, { mean: 1, std: 1 }]));
  const spec = createEncodingSpec(CREDIT_V1, stats);
  const out = new Float32Array(spec.numFeatures);
  let n = 0;
  // The benchmark skips desensitisation (a separate stage); the cast only satisfies the encoder's brand.
  for await (const rec of acceptedRecords({ file, schema: CREDIT_V1 })) {
    encodeInto(spec, rec as DesensitizedRecord, out, 0);
    n++;
  }
  return n;
}

/** Entry point: `--json` prints the figures as JSON; `--rows N` changes the large size (default 1,000,000). */
export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const at = args.indexOf('--rows');
  const large = at >= 0 ? Number(args[at + 1]) : 1_000_000;
  const sizes = [Math.round(large / 4), large];
  const dir = mkdtempSync(join(tmpdir(), 'fedfin-ingest-'));
  const results: Record<string, { bareParse: Phase; validateEncode: Phase; ratio: number; cpuRatio: number }> = {};
  try {
    for (const n of sizes) {
      const file = join(dir, `credit-${n}.csv`);
      await generate(file, n);
      const bare = await measure(() => bareParse(file));
      const full = await measure(() => validateEncode(file));
      if (bare.rows !== n || full.rows !== n) throw new Error(`expected ${n} rows, parsed ${bare.rows}, accepted ${full.rows}`);
      results[String(n)] = { bareParse: bare, validateEncode: full, ratio: +(full.rowsPerSecond / bare.rowsPerSecond).toFixed(2), cpuRatio: +(full.rowsPerCpuSecond / bare.rowsPerCpuSecond).toFixed(2) };
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const figures = { node: process.version, columns: COLUMNS.length, encoder: 'schema/encoding.ts encodeInto', target: 0.5, results };
  if (json) {
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    return;
  }
  process.stdout.write(`ingest: ${COLUMNS.length}-column credit.v1 CSV, identity mapping, validate + encode (encodeInto)\n`);
  for (const [n, r] of Object.entries(results)) {
    process.stdout.write(
      `  ${n.padStart(8)} rows  bare csv-parse ${r.bareParse.rowsPerSecond.toLocaleString('en')} rows/s, ${r.bareParse.rowsPerCpuSecond.toLocaleString('en')}/CPU-s (peak RSS ${r.bareParse.peakRssMb} MB)\n` +
        `  ${''.padStart(13)}validate+encode ${r.validateEncode.rowsPerSecond.toLocaleString('en')} rows/s, ${r.validateEncode.rowsPerCpuSecond.toLocaleString('en')}/CPU-s (peak RSS ${r.validateEncode.peakRssMb} MB, heap ${r.validateEncode.peakHeapMb} MB)\n` +
        `  ${''.padStart(13)}ratio ${r.ratio} wall, ${r.cpuRatio} CPU (target ≥ 0.5)\n`,
    );
  }
}
