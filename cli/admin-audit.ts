/** `fedfin admin audit verify`: pages the coordinator's audit log over the Admin service and verifies it on this side. */
import { AuditChainVerifier, type AuditVerdict } from '../security/audit-verify.js';
import type { AdminOpsClient } from './admin-ops-client.js';

/**
 * Verifies the whole log as the coordinator serves it: every hash recomputed and every link checked here (the
 * coordinator's own chain_ok is not trusted), every signature with `publicKey`, and the log must reach the newest seq
 * the coordinator reported (a truncated answer is detected).
 * @param client an Admin client (any role that may call TailAudit).
 * @param publicKey the coordinator's audit key (federation.json / kits/coordinator/audit-signing.pub).
 * @param onProgress called after each page with the entries checked so far.
 */
export async function verifyAuditOnline(client: AdminOpsClient, publicKey?: Uint8Array, onProgress?: (checked: number) => void): Promise<AuditVerdict> {
  const verifier = new AuditChainVerifier(publicKey ? { publicKey } : {});
  let after = 0;
  let newest = 0;
  for (;;) {
    const page = await client.auditPage(after, 1000);
    newest = Math.max(newest, page.lastSeq);
    for (const r of page.rows) {
      let detail: unknown;
      try {
        detail = JSON.parse(r.detailJson);
      } catch {
        verifier.fail(r.seq, 'malformed', `entry ${r.seq}: detail_json is not valid JSON (edited by hand?)`);
        return verifier.result();
      }
      const ok = verifier.push({ seq: r.seq, at: r.at, type: r.type, jobId: r.jobId || undefined, memberId: r.memberId || undefined, actor: r.actor || undefined, detail, prevHash: r.prevHash, hash: r.hash, signature: r.signature || null });
      if (!ok) return verifier.result();
    }
    onProgress?.(page.rows.at(-1)?.seq ?? after);
    if (page.rows.length === 0 || page.rows.at(-1)!.seq >= newest) break;
    after = page.rows.at(-1)!.seq;
  }
  const verdict = verifier.result();
  if (verdict.ok && (verdict.head?.seq ?? 0) < newest) {
    const seq = (verdict.head?.seq ?? 0) + 1;
    return { ok: false, entries: verdict.entries, signed: verdict.signed, firstBad: { seq, problem: 'truncated', message: `the coordinator reports entry ${newest} but served entries only up to ${seq - 1}` } };
  }
  return verdict;
}
