export { createStsEmulator, type StsEmulator, type StsEmulatorLogger, type StsEmulatorOptions, type StsEmulatorStats } from './createStsEmulator';
export { ACS3_ALGORITHM, acs3CanonicalRequest, acs3Signature, acs3StringToSign, canonicalHeaders, canonicalQueryString, parseQueryPairs, sha256Hex } from './acs3Signature';
export { stsErrors, type StsError } from './stsErrors';
