/** Test helper: sends fast-check-generated hostile messages (raw bytes and well-formed lies) to every RPC of a live coordinator. */
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { loadProtos } from '../../proto/loader.js';

/** One method as the fuzzer calls it: bytes in, bytes out. */
interface RawMethod {
  readonly service: 'Fleet' | 'Admin';
  readonly name: string;
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly serialize: (value: unknown) => Buffer;
}

/** What came back: status code → count, plus the details of statuses that hint at a server bug. */
export interface FuzzReport {
  readonly sent: number;
  readonly codes: Map<number, number>;
  /** INTERNAL/UNKNOWN answers whose details say the handler crashed ("internal error"), with the method. */
  readonly crashes: string[];
}

/** Options of {@link fuzzCoordinator}. */
export interface FuzzOptions {
  readonly address: string;
  /** A member's credentials (Fleet calls) and an admin's (Admin calls). */
  readonly member: { readonly credentials: grpc.ChannelCredentials; readonly id: string };
  readonly admin: grpc.ChannelCredentials;
  readonly count: number;
  /** Instruction ids of other banks that the attacker guesses (the id format is public). */
  readonly victimInstructionIds: () => readonly string[];
  /** Job ids it must never abort (AbortJob is only sent with random ids). */
  readonly seed?: number;
  /** Calls in flight at once. @default 16 */
  readonly concurrency?: number;
}

function methods(): RawMethod[] {
  const { fleet, admin } = loadProtos();
  const out: RawMethod[] = [];
  for (const [service, def] of [['Fleet', fleet.fedfin.v1.Fleet.service], ['Admin', admin.fedfin.v1.Admin.service]] as const) {
    for (const [name, m] of Object.entries(def)) out.push({ service, name, path: m.path, requestStream: m.requestStream, responseStream: m.responseStream, serialize: m.requestSerialize as (v: unknown) => Buffer });
  }
  return out;
}

/** A structurally valid request whose fields lie: other banks' ids, huge numbers, junk strings. */
function lyingRequest(m: RawMethod, session: string, victims: readonly string[], memberId: string): fc.Arbitrary<unknown> {
  const junk = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('', 'bank-a', '../../etc/passwd', '\u0000', 'x'.repeat(5000)));
  const instructionId = victims.length > 0 ? fc.oneof(fc.constantFrom(...victims), junk) : junk;
  const sessionId = fc.oneof(fc.constant(session), junk);
  switch (m.name) {
    case 'Join':
      // Never its own id: a fuzzed Join must not make the attacker a training participant.
      return fc.record({ member_id: junk.filter((s) => s !== memberId), accepted_tasks: fc.array(junk, { maxLength: 200 }), tf_backend: junk, software_version: junk });
    case 'PullInstruction':
      return fc.record({ session_id: sessionId, wait_ms: fc.nat({ max: 2 ** 32 - 1 }) });
    case 'DownloadModel':
      return fc.record({ session_id: sessionId, instruction_id: instructionId });
    case 'Heartbeat':
      return fc.record({ session_id: sessionId, working_on: instructionId });
    case 'PushResult':
      return fc.oneof(
        fc.record({ header: fc.record({ session_id: sessionId, instruction_id: instructionId, status: fc.oneof(fc.constantFrom('ok', 'refused', 'failed'), junk), reason: junk, num_examples: fc.nat({ max: 2 ** 32 - 1 }), metrics: fc.record({ values: fc.dictionary(junk, fc.double()) }) }) }),
        fc.record({ chunk: fc.record({ offset: fc.nat({ max: 2 ** 32 - 1 }), data: fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)) }) }),
      );
    case 'SubmitJob':
      return fc.record({ spec_json: fc.oneof(junk, fc.json({ maxDepth: 3 })) });
    default:
      // Job lookups: random ids only (a real id could abort the honest banks' job).
      return fc.record({ job_id: junk.map((s) => `fuzz-${s}`), round: fc.nat(), after_seq: fc.nat(), last: fc.nat(), limit: fc.nat(), member_id: junk });
  }
}

function call(client: grpc.Client, m: RawMethod, messages: Buffer[]): Promise<grpc.StatusObject> {
  const deadline = Date.now() + 3000;
  const ser = (b: Buffer) => b;
  const de = (b: Buffer) => b;
  return new Promise((resolve) => {
    const done = (err: grpc.ServiceError | null) => resolve({ code: err ? err.code : grpc.status.OK, details: err?.details ?? '', metadata: new grpc.Metadata() });
    if (!m.requestStream && !m.responseStream) client.makeUnaryRequest(m.path, ser, de, messages[0]!, { deadline }, done);
    else if (m.requestStream) {
      const s = client.makeClientStreamRequest(m.path, ser, de, { deadline }, done);
      for (const b of messages) s.write(b);
      s.end();
    } else {
      const s = client.makeServerStreamRequest(m.path, ser, de, messages[0]!, { deadline });
      s.on('data', () => undefined);
      s.on('error', (e: grpc.ServiceError) => done(e));
      s.on('end', () => done(null));
    }
  });
}

/**
 * Sends `count` hostile calls: half raw random bytes, half well-formed requests with lies, over a real member session
 * (Fleet) and an admin channel (Admin). Resolves with the statuses seen.
 */
export async function fuzzCoordinator(o: FuzzOptions): Promise<FuzzReport> {
  const all = methods();
  const member = new grpc.Client(o.address, o.member.credentials);
  const admin = new grpc.Client(o.address, o.admin);
  const { fleet } = loadProtos();
  const joinDef = fleet.fedfin.v1.Fleet.service.Join;
  // One honest join (for a task nobody trains) gives the attacker a real session to abuse.
  const session = await new Promise<string>((resolve, reject) =>
    member.makeUnaryRequest(joinDef.path, joinDef.requestSerialize, joinDef.responseDeserialize, { member_id: o.member.id, accepted_tasks: ['fuzz-only-task'], tf_backend: 'cpu', software_version: 'fuzz' }, { deadline: Date.now() + 5000 }, (err, res) => (err ? reject(err) : resolve((res as { session_id: string }).session_id))),
  );
  const report: FuzzReport = { sent: 0, codes: new Map(), crashes: [] };
  const rand = fc.sample(fc.tuple(fc.constantFrom(...all), fc.boolean(), fc.integer({ min: 1, max: 3 })), { numRuns: o.count, seed: o.seed ?? 42 });
  let next = 0;
  const worker = async () => {
    while (next < rand.length) {
      const [m, raw, n] = rand[next++]!;
      const messages = raw
        ? fc.sample(fc.uint8Array({ maxLength: 1024 }), { numRuns: m.requestStream ? n : 1 }).map((b) => Buffer.from(b))
        : fc.sample(lyingRequest(m, session, o.victimInstructionIds(), o.member.id), { numRuns: m.requestStream ? n : 1 }).map((v) => m.serialize(v));
      const status = await call(m.service === 'Fleet' ? member : admin, m, messages);
      report.codes.set(status.code, (report.codes.get(status.code) ?? 0) + 1);
      if ((status.code === grpc.status.INTERNAL || status.code === grpc.status.UNKNOWN) && /internal error|handler|TypeError|undefined/i.test(status.details)) report.crashes.push(`${m.service}.${m.name}: ${status.details}`);
      (report as { sent: number }).sent += 1;
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 16 }, worker));
  member.close();
  admin.close();
  return report;
}
