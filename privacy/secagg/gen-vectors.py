"""Generates privacy/testdata/secagg-*.json self-made vectors with an implementation independent of ours.

Python `cryptography` (OpenSSL/ed25519 bindings), hashlib/hmac and a table-based GF(2^8) written here from
FIPS-197 §4.2. Run once: `python3 privacy/secagg/gen-vectors.py` (cryptography 48, Python 3.11). Standard
vectors (RFC / NIST / FIPS / Vault) are copied from their documents and only re-checked here.
"""
import hashlib, hmac, json, struct, os
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes, serialization

OUT = os.path.join(os.path.dirname(__file__), '..', 'testdata')
GEN = 'privacy/secagg/gen-vectors.py (Python 3.11, cryptography 48)'
h = bytes.fromhex

def raw(pk): return pk.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
def x25519(sk, pk): return X25519PrivateKey.from_private_bytes(sk).exchange(X25519PublicKey.from_public_bytes(pk))
def pub(sk): return raw(X25519PrivateKey.from_private_bytes(sk).public_key())
def hkdf(ikm, salt, info, n): return HKDF(hashes.SHA256(), n, salt, info).derive(ikm)
def u64(v): return struct.pack('>Q', v)
def keystream(key, n): return Cipher(algorithms.AES(key), modes.CTR(bytes(16))).encryptor().update(bytes(n))
def dump(name, obj):
    with open(os.path.join(OUT, name), 'w') as f: json.dump(obj, f, indent=2); f.write('\n')

# --- X25519 -------------------------------------------------------------------------------------------
rfc = dict(aliceSk='77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', alicePk='8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
           bobSk='5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb', bobPk='de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
           shared='4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742')
assert pub(h(rfc['aliceSk'])).hex() == rfc['alicePk'] and x25519(h(rfc['aliceSk']), h(rfc['bobPk'])).hex() == rfc['shared']
scalar_mult = [
    dict(scalar='a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4', u='e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c', out='c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552'),
    dict(scalar='4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d', u='e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493', out='95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957'),
]
for v in scalar_mult: assert x25519(h(v['scalar']), h(v['u'])).hex() == v['out'], v
low_order = ['00' * 32, '01' + '00' * 31, 'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
             '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157', 'ec' + 'ff' * 30 + '7f', 'ed' + 'ff' * 30 + '7f', 'ee' + 'ff' * 30 + '7f']
for p in low_order:
    try: x25519(h(rfc['aliceSk']), h(p)); raise SystemExit('low-order point accepted: ' + p)
    except ValueError: pass
dump('secagg-x25519.json', dict(source='RFC 7748 §6.1 (Diffie-Hellman) and §5.2 (scalar multiplication); low-order points from RFC 7748 §6.1 / libsodium blocklist (order 1, 2, 4, 8 and non-canonical encodings of 0, 1)',
     generator=GEN + ' re-checks every value with OpenSSL X25519', rfc7748_6_1=rfc, rfc7748_5_2=scalar_mult, lowOrderPoints=low_order))

# --- HKDF, session id, derived keys -------------------------------------------------------------------
tc1 = dict(ikm='0b' * 22, salt='000102030405060708090a0b0c', info='f0f1f2f3f4f5f6f7f8f9', length=42,
           okm='3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865')
assert hkdf(h(tc1['ikm']), h(tc1['salt']), h(tc1['info']), 42).hex() == tc1['okm']
members = []
for i, mid in enumerate([7, 3, 2 ** 64 - 1]):
    c_sk, s_sk = hashlib.sha256(b'c%d' % i).digest(), hashlib.sha256(b's%d' % i).digest()
    members.append(dict(id=str(mid), cSk=c_sk.hex(), sSk=s_sk.hex(), cPk=pub(c_sk).hex(), sPk=pub(s_sk).hex()))
rnd = 5
sid = hashlib.sha256(u64(rnd) + b''.join(u64(int(m['id'])) + h(m['cPk']) + h(m['sPk']) for m in sorted(members, key=lambda m: int(m['id'])))).digest()
def derive(secret, purpose, a, b):
    lo, hi = min(a, b), max(a, b)
    return hkdf(secret, sid, ('fedfin/secagg/' + purpose).encode() + u64(lo) + u64(hi), 32)
m0, m1 = members[0], members[1]
enc = derive(x25519(h(m0['cSk']), h(m1['cPk'])), 'enc', int(m0['id']), int(m1['id']))
mask = derive(x25519(h(m0['sSk']), h(m1['sPk'])), 'mask', int(m0['id']), int(m1['id']))
dump('secagg-kdf.json', dict(source='RFC 5869 Appendix A.1 (test case 1); session id and derived keys are self-made: sid = SHA-256(round ‖ sorted (id ‖ c_pk ‖ s_pk)), key = HKDF-SHA256(X25519, salt = sid, info = "fedfin/secagg/<purpose>" ‖ min id ‖ max id)',
     generator=GEN + ' with hashlib and cryptography HKDF/X25519', rfc5869_tc1=tc1, session=dict(round=rnd, members=members, sid=sid.hex(),
     pair=dict(a=m0['id'], b=m1['id'], encKey=enc.hex(), maskKey=mask.hex()))))

# --- Ed25519 --------------------------------------------------------------------------------------------
t1 = dict(secret='9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', publicKey='d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
          message='', signature='e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b')
sk = Ed25519PrivateKey.from_private_bytes(h(t1['secret']))
assert raw(sk.public_key()).hex() == t1['publicKey'] and sk.sign(b'').hex() == t1['signature']
adv_msg = b'fedfin/secagg/advertise' + u64(rnd) + u64(int(m0['id'])) + h(m0['cPk']) + h(m0['sPk'])
dump('secagg-ed25519.json', dict(source='RFC 8032 §7.1 TEST 1; the advertisement signature is self-made over "fedfin/secagg/advertise" ‖ round ‖ id ‖ c_pk ‖ s_pk',
     generator=GEN + ' with cryptography Ed25519 (deterministic signatures)', rfc8032_test1=t1,
     advertisement=dict(secret=t1['secret'], round=rnd, memberId=m0['id'], cPk=m0['cPk'], sPk=m0['sPk'], message=adv_msg.hex(), signature=sk.sign(adv_msg).hex())))

# --- PRG ----------------------------------------------------------------------------------------------------
nist = dict(key='603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4', counter='f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff',
            plaintext='6bc1bee22e409f96e93d7e117393172a', ciphertext='601ec313775789a5b7a7f504bbf3d228')
assert Cipher(algorithms.AES(h(nist['key'])), modes.CTR(h(nist['counter']))).encryptor().update(h(nist['plaintext'])).hex() == nist['ciphertext']
kat = dict(key='31' * 32, keystream32='b08ecf9ec7eb5f0d7b78c42556d668ac0ede721a5818fe812d565cbdb5f11f4e')
assert keystream(h(kat['key']), 32).hex() == kat['keystream32']
def mask_values(key, n, m):
    out, ks, pos = [], keystream(key, 4 * (4 * n + 64)), 0
    words = struct.unpack('<%dI' % (len(ks) // 4), ks)
    if m & (m - 1) == 0:
        return [w & (m - 1) for w in words[:n]]
    limit = 2 ** 32 - (2 ** 32 % m)
    for w in words:
        if len(out) == n: break
        if w < limit: out.append(w % m)
    return out
masks = [dict(key=hashlib.sha256(b'mask%d' % i).hexdigest(), modulus=m, values=mask_values(hashlib.sha256(b'mask%d' % i).digest(), 12, m))
         for i, m in enumerate([2 ** 32, 2 ** 20, 2, 1000, 2 ** 31 + 11])]
dump('secagg-prg.json', dict(source='NIST SP 800-38A F.5.5 (CTR-AES256.Encrypt, first block); the 32 x 0x31 keystream is the reference note\'s self-made KAT; mask vectors are self-made: AES-256-CTR, zero IV, LE 32-bit words, b low bits for M = 2^b, rejection of words >= 2^32 - (2^32 mod M) otherwise',
     generator=GEN + ' with cryptography AES-CTR', nist_f_5_5=nist, selfKat=kat, masks=masks))

# --- GF(2^8) and Shamir (table-based implementation, independent of our shift-and-add code) -------------
EXP, LOG = [0] * 512, [0] * 256
x = 1
for i in range(255):
    EXP[i] = x; LOG[x] = i
    x ^= (x << 1) ^ (0x11b if x & 0x80 else 0)  # multiply by the generator 3
    x &= 0xff
for i in range(255, 512): EXP[i] = EXP[i - 255]
def mul(a, b): return 0 if a == 0 or b == 0 else EXP[LOG[a] + LOG[b]]
def inv(a): return EXP[255 - LOG[a]]
assert mul(0x57, 0x83) == 0xc1 and mul(0x57, 0x13) == 0xfe and inv(0x53) == 0xca
def evalp(coeffs, xx):
    acc = 0
    for c in reversed(coeffs): acc = mul(acc, xx) ^ c
    return acc
assert [evalp([0x2a, 0x53, 0xca], xx) for xx in range(1, 6)] == [0xb3, 0x89, 0x10, 0x69, 0xf0]
secret = hashlib.sha256(b'secret').digest()
t, n = 3, 5
coeff_bytes = hashlib.sha256(b'coefficients').digest() + hashlib.sha256(b'coefficients2').digest()  # (t-1) * 32 bytes, x^1 block first
shares = [bytes(evalp([secret[k], coeff_bytes[k], coeff_bytes[32 + k]], xx) for k in range(32)).hex() for xx in range(1, n + 1)]
secret_id = b'round 5 / member 7 / s_sk'
tag = hashlib.sha256(b'fedfin/secagg/share-set' + secret_id).digest()[:8]
dump('secagg-gf256.json', dict(source='FIPS-197 §4.2 ({57}.{83} = {c1}, {57}.{13} = {fe}, {53}^-1 = {ca}); HashiCorp Vault shamir/shamir_test.go @ 0f63861c (add, mult, div)',
     generator=GEN + ' re-checks the FIPS values with log/exp tables over generator 3', mul=[[0x57, 0x83, 0xc1], [0x57, 0x13, 0xfe], [3, 7, 9], [3, 0, 0]],
     add=[[16, 16, 0], [3, 4, 7]], inv=[[0x53, 0xca]], div=[[0, 7, 0], [3, 3, 1], [6, 3, 2]]))
dump('secagg-shamir.json', dict(source='self-made: reference note §4 share KAT (t = 3, secret 0x2a, coefficients 0x53, 0xca) and a 32-byte 3-of-5 split',
     generator=GEN + ' with a log/exp-table GF(2^8) (0x11B, generator 3)', byteKat=dict(threshold=3, secret='2a', coefficients='53ca', shares=['b3', '89', '10', '69', 'f0'], reconstructFrom=[2, 4, 5]),
     split=dict(threshold=t, shares=n, secret=secret.hex(), coefficients=coeff_bytes.hex(), secretId=secret_id.hex(), tag=tag.hex(), y=shares)))

# --- Masking ----------------------------------------------------------------------------------------------
M = 2 ** 20
ids = [2, 5, 9]
xs = {2: [1, 2, 3, 4], 5: [10, 20, 30, 40], 9: [M - 1, 0, 7, 99]}
seeds = {i: hashlib.sha256(b'seed%d' % i).digest() for i in ids}
pair = {(a, b): hashlib.sha256(b'pair%d-%d' % (min(a, b), max(a, b))).digest() for a in ids for b in ids if a != b}
def masked(u):
    y = [(v + s) % M for v, s in zip(xs[u], mask_values(seeds[u], 4, M))]
    for v in ids:
        if v == u: continue
        sign = 1 if v < u else -1
        y = [(a + sign * b) % M for a, b in zip(y, mask_values(pair[(u, v)], 4, M))]
    return y
dump('secagg-masking.json', dict(source='self-made: y = x + PRG(b_u) + sum_{v<u} PRG(k_uv) - sum_{v>u} PRG(k_uv) mod M with the PRG of secagg-prg.json',
     generator=GEN, modulus=M, members=[dict(id=u, input=xs[u], selfSeed=seeds[u].hex(), pairwise=[dict(peerId=v, key=pair[(u, v)].hex()) for v in ids if v != u], masked=masked(u)) for u in ids]))
print('ok')
