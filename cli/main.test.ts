import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { createProgram, main } from './main.js';

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), isTty: false } };
};

/** Every command with its parent, depth-first. */
function allCommands(root: Command): Command[] {
  return [root, ...root.commands.flatMap(allCommands)];
}

describe('fedfin CLI', () => {
  it('describes every command in one help line of at most 80 columns', () => {
    for (const parent of allCommands(createProgram(io().io))) {
      const rows = parent.commands.map((c) => ({
        name: c.name(),
        text: c.summary() || c.description(),
        term: c.name() + (c.options.length > 0 ? ' [options]' : '') + c.registeredArguments.map((a) => (a.required ? ` <${a.name()}>` : ` [${a.name()}]`)).join(''),
      }));
      const width = Math.max('help [command]'.length, ...rows.map((r) => r.term.length));
      for (const r of rows) expect(`  ${r.term.padEnd(width)}  ${r.text}`.length, `${parent.name()} ${r.name}: ${r.text}`).toBeLessThanOrEqual(80);
    }
  });

  it('exits 2 with a usage message, when a flag is unknown', async () => {
    const c = io();
    expect(await main(['node', 'fedfin', '--bogus'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/unknown option '--bogus'/);
  });

  it('exits 0 and lists the command groups, for --help', async () => {
    const c = io();
    expect(await main(['node', 'fedfin', '--help'], c.io)).toBe(0);
    for (const g of ['schema', 'data', 'privacy', 'coordinator', 'client', 'admin', 'demo', 'predict']) expect(c.out.join('')).toContain(g);
  });
});
