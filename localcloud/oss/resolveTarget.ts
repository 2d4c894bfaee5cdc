import { isIP } from 'node:net';
import type { QueryParams } from '../../oss-signer';
import { noSuchBucket, OssError } from './ossError';

const invalidUri = (): OssError => new OssError(400, 'InvalidURI', "Couldn't parse the specified URI.");

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalidUri();
  }
}

export interface ParsedRequestUrl {
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  /** Decoded query parameters; `?acl` gives `{acl: ''}`. `+` stays `+` (RFC 3986, not a form). */
  query: QueryParams;
}

/** Splits a request target (origin-form, or absolute-form as proxies send it) into path and query. */
export function parseRequestUrl(requestTarget: string): ParsedRequestUrl {
  const target = requestTarget.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const query: QueryParams = {};
  if (q >= 0) {
    for (const pair of target.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = decode(eq < 0 ? pair : pair.slice(0, eq));
      query[name] = eq < 0 ? '' : decode(pair.slice(eq + 1));
    }
  }
  if (!rawPath.startsWith('/')) throw invalidUri();
  return { rawPath, query };
}

export interface RequestTarget {
  bucket: string;
  /** The object key, decoded; '' for the bucket itself. */
  key: string;
  /** How the bucket was found, for logs. */
  addressing: 'virtual-hosted' | 'path' | 'default';
  /**
   * For `default` addressing whose first path segment could name a bucket: the path-style reading
   * (`/<bucket>/<key>`) of a bucket not served here. Only the signature can tell a path-style
   * request to an unknown bucket from a cname request for a key (a V4 signature covers the bucket),
   * so the handlers try it when the default reading fails to verify.
   */
  unservedPathStyle?: { bucket: string; key: string };
}

export interface ResolveTargetInput {
  host?: string;
  rawPath: string;
  /** Served buckets; the first is the default. */
  buckets: readonly string[];
}

function hostname(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/** An OSS-looking domain (`oss-cn-hangzhou.aliyuncs.com`), where an unknown first label is a missing bucket. */
function looksLikeOssDomain(domain: string): boolean {
  return domain.startsWith('oss-') || domain === 'aliyuncs.com' || domain.endsWith('.aliyuncs.com');
}

/** The region endpoint itself (`oss-cn-hangzhou.aliyuncs.com`): requests to it are path style. */
function isOssEndpoint(name: string): boolean {
  return /^oss-[a-z0-9-]+(\.[a-z0-9-]+)*\.aliyuncs\.com$/.test(name);
}

/** OSS bucket names: 3–63 of a-z, 0-9 and '-', starting and ending with a letter or digit. */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * Finds bucket and key the way OSS addresses them, so real SDKs work unchanged:
 * - virtual-hosted: `Host: <bucket>.<domain>` (ali-oss sends `family-album.oss-cn-hangzhou.aliyuncs.com`
 *   even to an IP endpoint) — the whole path is the key;
 * - path style: the first path segment names a served bucket;
 * - otherwise the default bucket (ali-oss with `cname: true` at `http://localhost:PORT`).
 * An OSS-looking host naming a bucket not served here is NoSuchBucket, and so is a path naming one
 * at the region endpoint (`oss-cn-hangzhou.aliyuncs.com/<bucket>/…`).
 */
export function resolveTarget(input: ResolveTargetInput): RequestTarget {
  const [defaultBucket] = input.buckets;
  if (!defaultBucket) throw new Error('resolveTarget needs at least one bucket');
  const path = input.rawPath;
  const name = input.host ? hostname(input.host) : '';
  const dot = name.indexOf('.');
  const endpoint = isOssEndpoint(name);
  if (name && isIP(name) === 0 && dot > 0 && !endpoint) {
    const label = name.slice(0, dot);
    if (input.buckets.includes(label)) return { bucket: label, key: decode(path.slice(1)), addressing: 'virtual-hosted' };
    if (looksLikeOssDomain(name.slice(dot + 1))) throw noSuchBucket(label);
  }
  const slash = path.indexOf('/', 1);
  const first = decode(slash < 0 ? path.slice(1) : path.slice(1, slash));
  const rest = slash < 0 ? '' : decode(path.slice(slash + 1));
  if (first && input.buckets.includes(first)) return { bucket: first, key: rest, addressing: 'path' };
  if (endpoint && first) throw noSuchBucket(first);
  const target: RequestTarget = { bucket: defaultBucket, key: decode(path.slice(1)), addressing: 'default' };
  if (BUCKET_NAME.test(first)) target.unservedPathStyle = { bucket: first, key: rest };
  return target;
}
