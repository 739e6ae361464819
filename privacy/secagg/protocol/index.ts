/** SecAgg+ protocol: the bank-side client, the coordinator-side server, config resolution and distributed-DP sizing (contract in types.ts). */
export * from './types.js';
export { resolveSecAggConfig, checkSecAggConfig } from './config.js';
export { realisedNoise } from './dp-noise.js';
export { createSecAggClient } from './client.js';
export { createSecAggServer, restoreSecAggServer } from './server.js';
export { decodeMessageHeader } from './codec.js';
export { SecAggProtocolError } from './errors.js';
