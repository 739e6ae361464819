import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { LOADER_OPTIONS, loadProtos } from './loader.js';

describe('proto loader', () => {
  it('passes the same options to gen:proto as LOADER_OPTIONS, when types are regenerated', () => {
    const script = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts['gen:proto']!;
    expect(script).toContain(`--keepCase=${LOADER_OPTIONS.keepCase}`);
    expect(script).toContain(`--longs=${LOADER_OPTIONS.longs.name}`);
    expect(script).toContain(`--enums=${LOADER_OPTIONS.enums.name}`);
    expect(script).toContain(`--defaults=${LOADER_OPTIONS.defaults}`);
    expect(script).toContain(`--oneofs=${LOADER_OPTIONS.oneofs}`);
  });

  it('loads both services with every RPC', () => {
    const { fleet, admin } = loadProtos();
    expect(Object.keys(fleet.fedfin.v1.Fleet.service).sort()).toEqual(['DownloadModel', 'Heartbeat', 'Join', 'PullInstruction', 'PushResult']);
    expect(Object.keys(admin.fedfin.v1.Admin.service).sort()).toEqual(['AbortJob', 'ExportModel', 'GetJob', 'GetLedger', 'ListJobs', 'ListMembers', 'SubmitJob', 'TailAudit', 'WatchJob']);
  });
});
