import { timingSafeEqual } from 'node:crypto';
import { acs3CanonicalRequest, acs3Signature, acs3StringToSign, parseQueryPairs, sha256Hex, type HeaderValues } from './acs3Signature';
import { parseAcs3Authorization } from './parseAcs3Authorization';
import { stsErrors, type StsError } from './stsErrors';

export interface Acs3Request {
  method: string;
  /** The path as sent, without the query; RPC-style APIs use `/`. */
  path: string;
  /** The query string as sent, without `?`. */
  rawQuery: string;
  /** By lower-case name (Node's `req.headersDistinct`). */
  headers: HeaderValues;
  body: Buffer;
}

export interface VerifyContext {
  /** The secret of an access key the service knows, or undefined. */
  secretFor(accessKeyId: string): string | undefined;
  now: Date;
  /** How far `x-acs-date` may be from `now`, either way (the service allows 15 minutes). */
  maxSkewSec: number;
}

export type Acs3Verification =
  | { ok: true; accessKeyId: string; query: Array<[string, string]>; nonce?: string; signedAt: Date }
  | { ok: false; error: StsError };

/** `yyyy-MM-ddTHH:mm:ssZ` in UTC, the only form `OpenApiUtil.getTimestamp` writes and the guide allows. */
export function parseAcsDate(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text)) return undefined;
  const date = new Date(text);
  // Reject dates the calendar does not have (2024-02-30) rather than let them roll over.
  return Number.isNaN(date.getTime()) || date.toISOString().replace('.000Z', 'Z') !== text ? undefined : date;
}

/**
 * A header the signature must cover when present: the guide says every common header but
 * Authorization, which the SDK reads as host, content-type and all x-acs-*.
 */
const mustBeSigned = (name: string) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-');

const single = (headers: HeaderValues, name: string): string | undefined => {
  const values = headers[name];
  return values && values.length === 1 ? values[0] : undefined;
};

/**
 * Checks a request's V3 signature the way the service does: rebuild the canonical request from
 * what actually arrived (the body's own hash, not the header's claim) and compare. Replay is
 * the caller's business: it gets the nonce and signing time back once the signature holds.
 */
export function verifyAcs3Request(request: Acs3Request, context: VerifyContext): Acs3Verification {
  const fail = (error: StsError): Acs3Verification => ({ ok: false, error });

  let query: Array<[string, string]>;
  try {
    query = parseQueryPairs(request.rawQuery);
  } catch {
    return fail(stsErrors.malformedQuery());
  }

  const authorization = parseAcs3Authorization(single(request.headers, 'authorization'));
  if (!authorization.ok) return fail(stsErrors.incompleteSignature(authorization.problem));
  const { accessKeyId, signedHeaders, signature } = authorization.value;

  const secret = context.secretFor(accessKeyId);
  if (secret === undefined) return fail(stsErrors.accessKeyNotFound());

  const dateText = single(request.headers, 'x-acs-date');
  const signedAt = dateText === undefined ? undefined : parseAcsDate(dateText);
  if (!signedAt) return fail(stsErrors.timestampFormat());
  const skewMs = Math.abs(context.now.getTime() - signedAt.getTime());
  if (skewMs > context.maxSkewSec * 1000) {
    return fail(stsErrors.timestampExpired(`x-acs-date ${dateText} is more than ${context.maxSkewSec}s from the server time ${context.now.toISOString()}.`));
  }

  const nonceValues = request.headers['x-acs-signature-nonce'];
  if (nonceValues && (nonceValues.length !== 1 || nonceValues[0] === '')) {
    return fail(stsErrors.incompleteSignature('x-acs-signature-nonce must be given once and not be empty.'));
  }

  const claimedHash = single(request.headers, 'x-acs-content-sha256');
  if (claimedHash === undefined) return fail(stsErrors.incompleteSignature('the x-acs-content-sha256 header is required.'));
  const signed = new Set(signedHeaders);
  const unsigned = Object.keys(request.headers).filter((name) => mustBeSigned(name) && !signed.has(name));
  if (unsigned.length > 0) return fail(stsErrors.incompleteSignature(`these headers must be signed: ${unsigned.sort().join(', ')}.`));

  const hashedPayload = sha256Hex(request.body);
  if (claimedHash !== hashedPayload) {
    return fail(stsErrors.signatureDoesNotMatch('x-acs-content-sha256 does not match the SHA-256 of the request body.'));
  }

  const canonical = acs3CanonicalRequest({
    method: request.method,
    canonicalUri: request.path,
    query,
    headers: request.headers,
    signedHeaders,
    hashedPayload,
  });
  const stringToSign = acs3StringToSign(canonical);
  const expected = Buffer.from(acs3Signature(secret, stringToSign), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    // The service shows what it signed, so a client author can diff it against their own.
    return fail(stsErrors.signatureDoesNotMatch(`server StringToSign is [${stringToSign}] server CanonicalRequest is [${canonical}]`));
  }
  return { ok: true, accessKeyId, query, nonce: nonceValues?.[0], signedAt };
}
