import { createHash, createHmac } from 'node:crypto';
import { uriEncode } from '../../oss-signer';

/**
 * Alibaba Cloud's V3 request signature (ACS3-HMAC-SHA256), as `@alicloud/openapi-core`'s
 * `OpenApiUtil.getAuthorization` computes it and the V3 signing guide describes it:
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 *   StringToSign     = "ACS3-HMAC-SHA256\n" + hex(sha256(CanonicalRequest))
 *   Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
 */
export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** A query as it came: decoded name/value pairs in wire order, repeats kept. */
export type QueryPairs = ReadonlyArray<readonly [string, string]>;

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Decodes a raw query string (without `?`). `+` means a space, as in the form encoding Node's
 * `querystring` (which the SDK sends with) and the service's own parser use. A name without `=`
 * has the empty value. Throws URIError on a malformed `%` escape.
 */
export function parseQueryPairs(rawQuery: string): Array<[string, string]> {
  if (rawQuery === '') return [];
  const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return rawQuery
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
    });
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sorted by name (code-unit order, as the SDK's `Object.keys().sort()` and the guide's TreeMap),
 * repeated names by value; `enc(name)=enc(value)` joined by `&`, `=` kept for an empty value.
 * Encoding is RFC 3986 (`encodeURIComponent` plus `!'()*`, as the SDK's `encode`).
 */
export function canonicalQueryString(pairs: QueryPairs): string {
  return [...pairs]
    .sort(([ka, va], [kb, vb]) => byCodeUnits(ka, kb) || byCodeUnits(va, vb))
    .map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`)
    .join('&');
}

/** Header values by lower-case name; Node's `req.headersDistinct` has this shape. */
export type HeaderValues = Readonly<Record<string, readonly string[] | undefined>>;

/**
 * `name:value\n` for each signed header in sorted order; several values of one header are
 * trimmed, sorted and joined by `,` (the SDK's `getAuthorizationHeaders`). A signed header the
 * request lacks canonicalises as empty.
 */
export function canonicalHeaders(headers: HeaderValues, signedHeaders: readonly string[]): string {
  return [...signedHeaders]
    .sort(byCodeUnits)
    .map((name) => {
      const values = (headers[name] ?? []).map((v) => v.trim()).sort(byCodeUnits);
      return `${name}:${values.join(',')}\n`;
    })
    .join('');
}

export interface Acs3CanonicalInput {
  method: string;
  /** RPC-style APIs sign `/`. */
  canonicalUri: string;
  query: QueryPairs;
  headers: HeaderValues;
  /** Lower-case names, as listed in the Authorization header. */
  signedHeaders: readonly string[];
  /** Lower-case hex SHA-256 of the body. */
  hashedPayload: string;
}

export function acs3CanonicalRequest(input: Acs3CanonicalInput): string {
  return [
    input.method.toUpperCase(),
    input.canonicalUri,
    canonicalQueryString(input.query),
    canonicalHeaders(input.headers, input.signedHeaders),
    [...input.signedHeaders].sort(byCodeUnits).join(';'),
    input.hashedPayload,
  ].join('\n');
}

export function acs3StringToSign(canonicalRequest: string): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

export function acs3Signature(accessKeySecret: string, stringToSign: string): string {
  return createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('hex');
}
