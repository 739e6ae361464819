/** Tests for the signed revocation list: signatures by the CA, tamper and rollback refusal, lookups by id and serial. */
import { describe, expect, it } from 'vitest';
import { createFederationCa } from './ca.js';
import { addRevocations, emptyRevocationList, findRevocation, signRevocationList, verifyRevocationList } from './revocation.js';
import type { KeyType } from './x509-support.js';

describe.each<KeyType>(['ecdsa-p256', 'ed25519'])('revocation (%s CA)', (keyType) => {
  it('verifies a list signed by the CA and finds revoked ids and serials, when entries were added', async () => {
    // Prepare
    const ca = await createFederationCa({ federation: 'fed', keyType });
    const list = addRevocations(emptyRevocationList('fed'), [{ memberId: 'bank-b', reason: 'revoked' }, { serial: '00AB12', reason: 'superseded' }]);
    // Execute
    const signed = JSON.parse(JSON.stringify(signRevocationList(list, ca.keyPem))) as unknown;
    const back = verifyRevocationList(signed, ca.certPem);
    // Assert
    expect(back.version).toBe(1);
    expect(findRevocation(back, { id: 'bank-b', serial: 'ff' })?.reason).toBe('revoked');
    expect(findRevocation(back, { id: 'bank-a', serial: 'ab12' })?.reason).toBe('superseded');
    expect(findRevocation(back, { id: 'bank-a', serial: 'ab13' })).toBeUndefined();
  });

  it('throws signature-invalid, when the list was edited, signed by another CA, or rolled back', async () => {
    const ca = await createFederationCa({ federation: 'fed', keyType });
    const other = await createFederationCa({ federation: 'fed', keyType });
    const v1 = signRevocationList(addRevocations(emptyRevocationList('fed'), [{ memberId: 'bank-b', reason: 'revoked' }]), ca.keyPem);
    const edited = { ...v1, list: { ...v1.list, revoked: [] } };
    expect(() => verifyRevocationList(edited, ca.certPem)).toThrow(expect.objectContaining({ code: 'signature-invalid' }));
    expect(() => verifyRevocationList(v1, other.certPem)).toThrow(expect.objectContaining({ code: 'signature-invalid' }));
    expect(() => verifyRevocationList(v1, ca.certPem, 2)).toThrow(/older than the last one seen/);
    expect(() => verifyRevocationList({ list: {}, signature: 'x' }, ca.certPem)).toThrow(expect.objectContaining({ code: 'config-invalid' }));
  });
});
