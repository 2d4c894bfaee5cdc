import { timingSafeEqual } from 'node:crypto';
import {
  canonicalRequest,
  credentialScope,
  deriveSigningKey,
  OSS4_ALGORITHM,
  parseAuthorization,
  parseOssDate,
  QueryParams,
  signWithKey,
  stringToSign,
  UNSIGNED_PAYLOAD,
} from '../../oss-signer';
import type { SecretResolver } from './createSecretResolver';
import { accessDenied, invalidArgument, OssError, requestTimeTooSkewed } from './ossError';

/** OSS tolerates this much clock difference between client and server. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** A presigned V4 URL lives at most 7 days. */
export const MAX_PRESIGN_EXPIRES_SEC = 7 * 24 * 3600;

export interface RequestAuthInput {
  method: string;
  bucket: string;
  key: string;
  query: QueryParams;
  /** Lower-case names, as node:http gives them. */
  headers: Record<string, string>;
  region: string;
  now: Date;
  secretFor: SecretResolver;
}

export interface VerifiedRequest {
  accessKeyId: string;
  via: 'header' | 'presigned';
}

export function signaturesEqual(expectedHex: string, givenHex: string): boolean {
  const a = Buffer.from(expectedHex);
  const b = Buffer.from(givenHex);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `<AK>/<yyyymmdd>/<region>/oss/aliyun_v4_request`, checked against the date it must agree with and our region. */
export function checkCredential(credential: string, xOssDate: string, region: string): { accessKeyId: string; scope: string } {
  const slash = credential.indexOf('/');
  const accessKeyId = slash > 0 ? credential.slice(0, slash) : '';
  const scope = slash > 0 ? credential.slice(slash + 1) : '';
  const expected = credentialScope(xOssDate.slice(0, 8), region);
  if (!accessKeyId || !/^\d{8}\/[^/]+\/oss\/aliyun_v4_request$/.test(scope)) {
    throw invalidArgument(`Invalid credential "${credential}": expected <AccessKeyId>/${expected}.`);
  }
  if (scope !== expected) {
    throw invalidArgument(`Invalid credential scope "${scope}": this endpoint expects "${expected}" (date of x-oss-date, region ${region}).`);
  }
  return { accessKeyId, scope };
}

function parseDateOrDeny(text: string | undefined, where: string): Date {
  const at = text ? parseOssDate(text) : undefined;
  if (!at) throw accessDenied(`Missing or invalid ${where}; expected yyyymmddTHHMMSSZ.`);
  return at;
}

function mismatch(canonical: string, toSign: string, accessKeyId: string, provided: string): OssError {
  return new OssError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
    StringToSign: toSign,
    CanonicalRequest: canonical,
    SignatureProvided: provided,
    OSSAccessKeyId: accessKeyId,
  }, '0002-00000201');
}

function verifySignature(input: RequestAuthInput, parts: { accessKeyId: string; scope: string; xOssDate: string; signature: string; canonical: string; securityToken?: string }): void {
  const secret = input.secretFor(parts.accessKeyId, parts.securityToken, input.now);
  const toSign = stringToSign(parts.xOssDate, parts.scope, parts.canonical);
  const expected = signWithKey(deriveSigningKey(secret, parts.xOssDate.slice(0, 8), input.region), toSign);
  if (!signaturesEqual(expected, parts.signature)) throw mismatch(parts.canonical, toSign, parts.accessKeyId, parts.signature);
}

function verifyHeaderAuth(input: RequestAuthInput, authorization: string): VerifiedRequest {
  const parsed = parseAuthorization(authorization);
  if (!parsed) {
    throw invalidArgument(
      authorization.startsWith('OSS ')
        ? 'This local OSS emulator accepts V4 signatures only (ali-oss: authorizationV4: true).'
        : 'Authorization header is invalid.',
    );
  }
  const xOssDate = input.headers['x-oss-date'];
  const at = parseDateOrDeny(xOssDate, 'x-oss-date header');
  const { accessKeyId, scope } = checkCredential(`${parsed.accessKeyId}/${parsed.scope}`, xOssDate, input.region);
  if (Math.abs(at.getTime() - input.now.getTime()) > MAX_CLOCK_SKEW_MS) throw requestTimeTooSkewed(xOssDate, input.now);
  const canonical = canonicalRequest({
    method: input.method,
    bucket: input.bucket,
    key: input.key,
    query: input.query,
    headers: input.headers,
    additionalHeaders: parsed.additionalHeaders,
  });
  verifySignature(input, { accessKeyId, scope, xOssDate, signature: parsed.signature, canonical, securityToken: input.headers['x-oss-security-token'] });
  return { accessKeyId, via: 'header' };
}

function verifyPresigned(input: RequestAuthInput): VerifiedRequest {
  const q = input.query;
  if (q['x-oss-signature-version'] !== OSS4_ALGORITHM) {
    throw invalidArgument(`x-oss-signature-version must be ${OSS4_ALGORITHM} (this local emulator accepts V4 signatures only).`);
  }
  const xOssDate = q['x-oss-date'];
  const at = parseDateOrDeny(xOssDate, 'x-oss-date query parameter');
  const { accessKeyId, scope } = checkCredential(q['x-oss-credential'] ?? '', xOssDate, input.region);
  const expiresSec = Number(q['x-oss-expires']);
  if (!/^\d+$/.test(q['x-oss-expires'] ?? '') || expiresSec < 1 || expiresSec > MAX_PRESIGN_EXPIRES_SEC) {
    throw invalidArgument(`x-oss-expires must be an integer from 1 to ${MAX_PRESIGN_EXPIRES_SEC}.`, {}, '0002-00000232');
  }
  if (at.getTime() - input.now.getTime() > MAX_CLOCK_SKEW_MS) throw requestTimeTooSkewed(xOssDate, input.now, '0002-00000235');
  if (input.now.getTime() > at.getTime() + expiresSec * 1000) {
    throw accessDenied('Request has expired.', {
      Expires: new Date(at.getTime() + expiresSec * 1000).toISOString(),
      ServerTime: input.now.toISOString(),
    }, '0002-00000236');
  }
  const { 'x-oss-signature': signature, ...signedQuery } = q;
  const additional = q['x-oss-additional-headers'];
  const canonical = canonicalRequest({
    method: input.method,
    bucket: input.bucket,
    key: input.key,
    query: signedQuery,
    headers: input.headers,
    additionalHeaders: additional ? additional.split(';') : [],
    payloadHash: UNSIGNED_PAYLOAD,
  });
  verifySignature(input, { accessKeyId, scope, xOssDate, signature: signature ?? '', canonical, securityToken: q['x-oss-security-token'] });
  return { accessKeyId, via: 'presigned' };
}

/**
 * Checks a V4 request against the canonical request rebuilt from what actually arrived: the bucket
 * and key as addressed, the decoded query, the signed headers. Header auth wins over a presigned
 * query; neither is anonymous, which this private bucket refuses.
 */
export function verifyRequestAuth(input: RequestAuthInput): VerifiedRequest {
  const authorization = input.headers.authorization;
  if (authorization) return verifyHeaderAuth(input, authorization);
  if ('x-oss-signature' in input.query || 'x-oss-credential' in input.query) return verifyPresigned(input);
  throw accessDenied('You have no right to access this object because of bucket acl.');
}
