/** `fedfin provision …`: create a federation (CA, certificates, identity keys, kits), add members, revoke and rotate. */
import type { Command } from 'commander';
import { z } from 'zod';
import { ConfigError } from '../common/errors.js';
import { ADMIN_ROLES, type AdminRole } from '../security/certificates.js';
import { revokeParticipant, rotateParticipant } from '../security/lifecycle.js';
import { addMember, LAYOUT, provisionFederation, type ProvisionSummary } from '../security/provision.js';
import { KEY_TYPES } from '../security/x509-support.js';
import { printJson, type CliIo } from './io.js';

const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
const intFlag = (min: number, max: number) => z.string().regex(/^\d+$/, 'expected an integer').transform(Number).pipe(z.number().int().min(min).max(max));

/** The flags of `fedfin provision`, validated once here. */
const ProvisionFlagsSchema = z.object({
  federation: z.string({ error: 'required: --federation NAME' }).min(1),
  members: z.string({ error: 'required: --members bank-a,bank-b' }).transform(list).pipe(z.array(z.string()).min(1, 'at least one member')),
  admins: z
    .string()
    .default('')
    .transform(list)
    .pipe(
      z.array(
        z.string().transform((s, ctx): { id: string; role: AdminRole } => {
          const [id = '', role = 'operator'] = s.split(':');
          if (!(ADMIN_ROLES as readonly string[]).includes(role)) ctx.addIssue({ code: 'custom', message: `admin ${id}: role must be one of ${ADMIN_ROLES.join(', ')}, got ${role}` });
          return { id, role: role as AdminRole };
        }),
      ),
    ),
  coordinatorHost: z.string({ error: 'required: --coordinator-host HOST' }).min(1),
  coordinatorPort: intFlag(1, 65535).default(7070),
  out: z.string({ error: 'required: --out DIR' }).min(1),
  validityDays: intFlag(1, 36_500).default(365),
  keyType: z.enum(KEY_TYPES).default('ecdsa-p256'),
  json: z.boolean().optional(),
});

function parseFlags<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError('flags', parsed.error.issues);
  return parsed.data;
}

const DirFlagsSchema = z.object({ dir: z.string().min(1), validityDays: intFlag(1, 36_500).optional(), json: z.boolean().optional() });

/**
 * The subcommands' flags. The root program parses options before dispatching, so `provision`'s own `--json` and
 * `--validity-days` may be claimed by it even when written after the subcommand: read them merged from the ancestors.
 * (No commander defaults on `provision` for that reason; zod fills defaults.)
 */
function subcommandFlags(cmd: Command): z.output<typeof DirFlagsSchema> {
  return parseFlags(DirFlagsSchema, cmd.optsWithGlobals());
}

/** Human output: one line per participant with its kit, plus where the CA key is. */
function printSummary(io: CliIo, title: string, s: ProvisionSummary, extra: readonly string[] = []): void {
  io.out(title);
  const width = Math.max(...s.participants.map((p) => p.id.length), 2);
  for (const p of s.participants) io.out(`  ${p.id.padEnd(width)}  ${p.role.padEnd(17)} serial ${p.serial.slice(0, 16)}…  until ${p.notAfter.slice(0, 10)}  kit ${p.kit}`);
  for (const line of extra) io.out(line);
}

/**
 * Registers `provision` (create a federation) and its subcommands `add-member`, `revoke` and `rotate`.
 * @param program the root command.
 * @param io output sinks.
 */
export function registerProvisionCommands(program: Command, io: CliIo): void {
  const group = program
    .command('provision')
    .description('create a federation: CA, certificates, keys, kits')
    .option('--federation <name>', 'federation name (the CA subject O=)')
    .option('--members <ids>', 'member bank ids, comma-separated')
    .option('--admins <ids>', `admin ids with optional role, e.g. ops-1:admin,ops-2 (roles: ${ADMIN_ROLES.join(', ')}; default operator)`)
    .option('--coordinator-host <host>', 'host name or address the banks dial (added to the server certificate; localhost, 127.0.0.1, ::1 always are)')
    .option('--coordinator-port <port>', 'port written into the kits (default 7070)')
    .option('--out <dir>', 'folder to create the federation in')
    .option('--validity-days <n>', 'validity of leaf certificates in days (default 365)')
    .option('--key-type <type>', `certificate key type: ${KEY_TYPES.join(' | ')} (default ecdsa-p256)`)
    .option('--json', 'print the result as JSON')
    .action(async (raw: unknown) => {
      const f = parseFlags(ProvisionFlagsSchema, raw);
      const s = await provisionFederation({ federation: f.federation, members: f.members, admins: f.admins, coordinatorHost: f.coordinatorHost, coordinatorPort: f.coordinatorPort, outDir: f.out, validityDays: f.validityDays, keyType: f.keyType });
      if (f.json) return printJson(io, s);
      printSummary(io, `provisioned federation ${s.federation} in ${s.dir} (${f.keyType}, ${f.validityDays} days)`, s, [
        `the CA private key is ${LAYOUT.caKey} under ${s.dir}: keep it offline; every kit holds only its own keys (mode 0600)`,
      ]);
    });

  group
    .command('add-member <name>')
    .description('certificate, identity key and kit for a new bank')
    .requiredOption('--dir <dir>', 'the provisioned federation folder')
    .option('--validity-days <n>', 'certificate validity in days (default: the federation default)')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const f = subcommandFlags(cmd);
      const s = await addMember(f.dir, name, { ...(f.validityDays !== undefined ? { validityDays: f.validityDays } : {}) });
      if (f.json) return printJson(io, s);
      printSummary(io, `added member ${name} to ${s.federation}`, s, ['the coordinator picks up the new roster from its kit (federation.json)']);
    });

  group
    .command('revoke <name>')
    .description('revoke a member or admin (signed list)')
    .requiredOption('--dir <dir>', 'the provisioned federation folder')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const f = subcommandFlags(cmd);
      const s = await revokeParticipant(f.dir, name);
      if (f.json) return printJson(io, s);
      printSummary(io, `revoked ${name} in ${s.federation} (revocation list version ${s.revocationVersion})`, s);
    });

  group
    .command('rotate <name>')
    .description('new certificate; the old serial is superseded')
    .requiredOption('--dir <dir>', 'the provisioned federation folder')
    .option('--validity-days <n>', 'certificate validity in days (default: the federation default)')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const f = subcommandFlags(cmd);
      const s = await rotateParticipant(f.dir, name, { ...(f.validityDays !== undefined ? { validityDays: f.validityDays } : {}) });
      if (f.json) return printJson(io, s);
      printSummary(io, `rotated ${name} in ${s.federation}: new serial ${s.participants[0]?.serial ?? ''} (old ${s.previousSerial} superseded, list version ${s.revocationVersion})`, s);
    });
}
