/** `npm run bench -- NAME`: runs one benchmark group; each prints ratios against a baseline measured in the same run. */
const GROUPS: Record<string, () => Promise<{ run: (args: string[]) => Promise<void> }>> = {
  ingest: () => import('./ingest.js'),
  privacy: () => import('./privacy.js'),
  federation: () => import('./federation.js'),
  tasks: () => import('./tasks.js'),
  secagg: () => import('./secagg.js'),
  tls: () => import('./tls.js'),
  simulate: () => import('./simulate.js'),
};

const [name, ...rest] = process.argv.slice(2);
if (!name || !(name in GROUPS)) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(GROUPS).join('|')}> [--json]\n`);
  process.exit(2);
}
const mod = await GROUPS[name]!();
await mod.run(rest);
