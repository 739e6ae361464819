/** `npm run bench -- privacy`: accountant latency, mask expansion vs raw keystream, DP-SGD vs plain training. */
export async function run(args: string[]): Promise<void> {
  const parts = [
    () => import('./privacy-accountant.js'),
    () => import('./privacy-masking.js'),
    () => import('./privacy-dpsgd.js'),
  ];
  for (const load of parts) await (await load()).run(args);
}
