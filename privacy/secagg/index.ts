/** SecAgg / SecAgg+ primitives as pure functions over bytes: keys, KDF, session id, share boxes, signatures, Shamir, PRG, quantisation, masking, graph. */
export { KeyInvalidError, DecryptionError, SignatureInvalidError, ShareInvalidError, SecAggParamsError } from './errors.js';
export { toMemberId, encodeMemberId, encodeRound, concatBytes, type MemberIdInput } from './member-id.js';
export { X25519_KEY_BYTES, generateKeyPair, publicKeyOf, agree, agreeMany, agreeNacl, isAllZero, type X25519KeyPair } from './keys.js';
export { SESSION_ID_BYTES, sessionId, type AdvertisedKeys } from './session.js';
export { KDF_INFO, DERIVED_KEY_BYTES, deriveKey, hkdf, type KeyPurpose } from './kdf.js';
export { SHARE_BOX_IV_BYTES, SHARE_BOX_TAG_BYTES, sealShare, openShare, type ShareBoxContext } from './share-box.js';
export {
  ADVERTISE_DOMAIN,
  generateSigningKeyPair,
  advertisementMessage,
  signAdvertisement,
  verifyAdvertisement,
  type SigningKeyPair,
  type Advertisement,
} from './signatures.js';
export { gfAdd, gfMul, gfInv, gfDiv, lagrangeAt, interpolateAt } from './gf256.js';
export { SHARE_TAG_BYTES, SHARE_HEADER_BYTES, shareTag, splitSecret, combineShares, encodeShare, decodeShare, type Share, type SplitOptions } from './shamir.js';
export { MAX_MODULUS, checkModulus, isPowerOfTwo, addMask, addMasks, fillMask, expandMask, type SignedKey } from './prg.js';
export { checkQuantizeParams, weightFactor, quantize, dequantizeSum, type QuantizeParams } from './quantize.js';
export { maskInput, sumVectors, unmaskSum, type PairwiseKey, type SurvivorSeed, type DroppedMember } from './masking.js';
export {
  defaultDegree,
  defaultThreshold,
  secAggParamIssues,
  checkSecAggParams,
  buildNeighbourhoods,
  type SecAggSizing,
  type ResolvedSizing,
} from './graph.js';
