/** The bootstrap of a worker thread whose module is TypeScript: the thread registers the tsx loader itself. */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Source for `new Worker(source, { eval: true })` that registers tsx in the new thread (loader hooks do not
 * cross threads) and then imports `module`. An import failure is printed and ends the thread with code 1,
 * which the owner sees as an `exit` event.
 * @param module the worker's `.ts` module, e.g. `new URL('./x-worker.ts', import.meta.url)`.
 */
export function tsWorkerSource(module: URL): string {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return `(async () => { const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(module.href)}); })().catch((e) => { console.error(e); process.exit(1); });`;
}
