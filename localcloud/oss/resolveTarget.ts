import { isIP } from 'node:net';
import type { QueryParams } from '../../oss-signer';
import { OssError } from './ossError';

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

/**
 * Finds bucket and key the way OSS addresses them, so real SDKs work unchanged:
 * - virtual-hosted: `Host: <bucket>.<domain>` (ali-oss sends `family-album.oss-cn-hangzhou.aliyuncs.com`
 *   even to an IP endpoint) — the whole path is the key;
 * - path style: the first path segment names a served bucket;
 * - otherwise the default bucket (ali-oss with `cname: true` at `http://localhost:PORT`).
 * An OSS-looking host naming a bucket not served here is NoSuchBucket.
 */
export function resolveTarget(input: ResolveTargetInput): RequestTarget {
  const [defaultBucket] = input.buckets;
  if (!defaultBucket) throw new Error('resolveTarget needs at least one bucket');
  const path = input.rawPath;
  const name = input.host ? hostname(input.host) : '';
  const dot = name.indexOf('.');
  if (name && isIP(name) === 0 && dot > 0) {
    const label = name.slice(0, dot);
    if (input.buckets.includes(label)) return { bucket: label, key: decode(path.slice(1)), addressing: 'virtual-hosted' };
    if (looksLikeOssDomain(name.slice(dot + 1))) {
      throw new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.', { BucketName: label });
    }
  }
  const slash = path.indexOf('/', 1);
  const first = decode(slash < 0 ? path.slice(1) : path.slice(1, slash));
  if (first && input.buckets.includes(first)) {
    return { bucket: first, key: slash < 0 ? '' : decode(path.slice(slash + 1)), addressing: 'path' };
  }
  return { bucket: defaultBucket, key: decode(path.slice(1)), addressing: 'default' };
}
