import { createHash } from 'node:crypto';
import { OSS4_ALGORITHM } from './signingKey';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** RFC 3986 encoding: unreserved `A-Za-z0-9-_.~` stay, all else `%XX` upper-case over UTF-8 bytes. */
export function uriEncode(text: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(ch) || (keepSlash && ch === '/')) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `/bucket/key` encoded with slashes kept; `/bucket/` for a bucket alone, `/` for neither. */
export function canonicalUri(bucket?: string, key?: string): string {
  if (!bucket) return '/';
  return uriEncode(`/${bucket}/${key ?? ''}`, true);
}

/** A query parameter without a value (`?acl`) is given as an empty string. */
export type QueryParams = Record<string, string>;

/** Encoded `k[=v]` pairs sorted bytewise by encoded key; an empty value has no `=`. */
export function canonicalQuery(query: QueryParams): string {
  return Object.entries(query)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`))
    .join('&');
}

/** Lower-case header names that enter the signature: every `x-oss-*`, content-type, content-md5, and the additional ones. */
export function signedHeaderNames(headers: Record<string, string>, additionalHeaders: readonly string[] = []): string[] {
  const additional = new Set(additionalHeaders.map((h) => h.toLowerCase()));
  return Object.keys(headers)
    .map((h) => h.toLowerCase())
    .filter((h) => h.startsWith('x-oss-') || h === 'content-type' || h === 'content-md5' || additional.has(h))
    .sort();
}

/**
 * Normalised additional header names: lower-case, sorted, only those the request carries, and
 * without those signed anyway (as the official SDKs do).
 */
export function normaliseAdditionalHeaders(additionalHeaders: readonly string[], headers: Record<string, string>): string[] {
  const present = new Set(Object.keys(headers).map((h) => h.toLowerCase()));
  return [...new Set(additionalHeaders.map((h) => h.toLowerCase()))]
    .filter((h) => present.has(h) && !(h.startsWith('x-oss-') || h === 'content-type' || h === 'content-md5'))
    .sort();
}

export interface CanonicalRequestInput {
  method: string;
  bucket?: string;
  key?: string;
  query?: QueryParams;
  /** Request headers, any case; only the signed ones are used. */
  headers?: Record<string, string>;
  additionalHeaders?: readonly string[];
  /** The `x-oss-content-sha256` value; UNSIGNED-PAYLOAD when absent. */
  payloadHash?: string;
}

export function canonicalRequest(input: CanonicalRequestInput): string {
  const headers = lowerCaseKeys(input.headers ?? {});
  const additional = normaliseAdditionalHeaders(input.additionalHeaders ?? [], headers);
  const headerLines = signedHeaderNames(headers, additional)
    .map((name) => `${name}:${headers[name].trim()}\n`)
    .join('');
  return [
    input.method.toUpperCase(),
    canonicalUri(input.bucket, input.key),
    canonicalQuery(input.query ?? {}),
    headerLines,
    additional.join(';'),
    input.payloadHash ?? headers['x-oss-content-sha256'] ?? UNSIGNED_PAYLOAD,
  ].join('\n');
}

export function stringToSign(xOssDate: string, scope: string, canonical: string): string {
  const digest = createHash('sha256').update(canonical, 'utf8').digest('hex');
  return `${OSS4_ALGORITHM}\n${xOssDate}\n${scope}\n${digest}`;
}

export function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
