/**
 * Deterministic generators of signing inputs for cross-checking the signer against other
 * implementations. A seed fixes every case, so a failure names a case that can be replayed.
 */
import type { OssCredentials } from '../oss-signer/signingKey';
import type { QueryParams } from '../oss-signer/canonicalRequest';
import type { PolicyCondition } from '../oss-signer/postPolicy';

export type Random = () => number;

/** mulberry32: small, fast and good enough to spread test inputs; never for secrets. */
export function createPrng(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SigningCase {
  index: number;
  method: 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';
  credentials: OssCredentials;
  region: string;
  bucket: string;
  key: string;
  at: Date;
  expiresInSec: number;
  /** Lower-case keys only; an empty string is a parameter without a value. */
  query: QueryParams;
  headers: Record<string, string>;
  additionalHeaders: string[];
}

export interface PolicyCase {
  index: number;
  credentials: OssCredentials;
  region: string;
  bucket: string;
  at: Date;
  expiresAt: Date;
  conditions: PolicyCondition[];
}

const METHODS = ['GET', 'PUT', 'HEAD', 'DELETE', 'POST'] as const;
const REGIONS = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'ap-southeast-1', 'us-west-1', 'eu-central-1'];
const BUCKETS = ['bucket', 'examplebucket', 'family-album-01', 'a1b'];
const ACCESS_KEY_IDS = ['ak', 'LTAI5tExampleKeyId0001', 'STS.NUgYrLnoC37mZZCNnAbez2xfx'];
const TOKENS = ['token', 'CAIS-fake-security-token==', 'CAIS+abc/def==Zm9v&x=1'];
const KEY_SEGMENTS = [
  'photos', '2024', 'IMG_0001.jpg', '相册', '家庭 照片', '😀', '🎉party', 'a+b', '100%', 'what?', '#tag', 'x&y=z',
  'k=v', "it's (1)*!", '~tilde', 'Ünïcödé', 'sp  ace', 'semi;colon', 'comma,here', 'a%2Fb', '[x]', 'é', '.', '..',
];
const QUERY_VALUES = ['', '', 'value', 'a b', 'a+b', '100%', 'x&y=z', '/path/', '?#', '中文', '😀', 'image/resize,w_100', '~-_.'];
const KEY_TAIL_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-_.~';
const OTHER_HEADERS = ['Cache-Control', 'Content-Disposition', 'Range', 'If-None-Match', 'x-custom-header', 'Expires', 'Host'];
const OSS_HEADERS = ['x-oss-storage-class', 'x-oss-object-acl', 'x-oss-forbid-overwrite', 'x-oss-server-side-encryption'];
const HEADER_VALUES = ['image/jpeg', 'text/plain; charset=utf-8', '  padded  ', '\tTabbed', '', 'a,b;c=d', '张三', 'max-age=30', 'true'];
const FIXED_DATES = ['2024-02-29T23:59:59.999Z', '2023-12-31T23:59:59.000Z', '2024-01-01T00:00:00.000Z', '2023-12-16T16:20:57.000Z'];
const EARLIEST_MS = Date.UTC(2015, 0, 1);
const LATEST_MS = Date.UTC(2035, 11, 31);

/** Helpers over one stream of randomness. */
function pickers(random: Random) {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const chance = (p: number) => random() < p;
  const word = (chars: string, min: number, max: number) => Array.from({ length: int(min, max) }, () => pick([...chars])).join('');
  return { int, pick, chance, word };
}

/** Cases for header signing and presigned URLs. */
export function generateSigningCases(seed: number, count: number): SigningCase[] {
  const random = createPrng(seed);
  const p = pickers(random);
  return Array.from({ length: count }, (_, index) => ({
    index,
    method: p.pick(METHODS),
    credentials: credentials(p),
    region: p.pick(REGIONS),
    bucket: p.pick(BUCKETS),
    key: objectKey(p),
    at: date(p),
    expiresInSec: p.chance(0.2) ? p.pick([1, 599, 3600, 604800]) : p.int(1, 604800),
    query: query(p),
    ...headers(p),
  }));
}

/** Cases for POST policies: the caller's conditions, before the V4 ones are added. */
export function generatePolicyCases(seed: number, count: number): PolicyCase[] {
  const random = createPrng(seed);
  const p = pickers(random);
  return Array.from({ length: count }, (_, index) => {
    const at = date(p);
    const bucket = p.pick(BUCKETS);
    const conditions: PolicyCondition[] = [];
    if (p.chance(0.8)) conditions.push({ bucket });
    if (p.chance(0.7)) conditions.push(['content-length-range', p.int(0, 10), p.int(1024, 5 * 1024 ** 3)]);
    if (p.chance(0.7)) conditions.push([p.pick(['eq', 'starts-with'] as const), '$key', objectKey(p)]);
    if (p.chance(0.5)) conditions.push(['eq', '$success_action_status', p.pick(['200', '201', '204'])]);
    if (p.chance(0.5)) conditions.push([p.pick(['in', 'not-in'] as const), '$content-type', ['image/jpeg', 'image/png', 'video/mp4'].slice(0, p.int(1, 3))]);
    if (p.chance(0.4)) conditions.push({ [`x-oss-meta-${p.word(KEY_TAIL_CHARS, 1, 8)}`]: p.pick(KEY_SEGMENTS) });
    if (p.chance(0.3)) conditions.push({ 'x-oss-forbid-overwrite': 'true' });
    return {
      index,
      credentials: credentials(p),
      region: p.pick(REGIONS),
      bucket,
      at,
      expiresAt: new Date(at.getTime() + p.int(1, 7 * 24 * 3600) * 1000 + p.int(0, 999)),
      conditions,
    };
  });
}

type Pickers = ReturnType<typeof pickers>;

function credentials(p: Pickers): OssCredentials {
  const secret = p.word('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 2, 30);
  const base = { accessKeyId: p.pick(ACCESS_KEY_IDS), accessKeySecret: secret };
  return p.chance(0.4) ? { ...base, securityToken: p.pick(TOKENS) } : base;
}

function date(p: Pickers): Date {
  if (p.chance(0.15)) return new Date(p.pick(FIXED_DATES));
  return new Date(p.int(EARLIEST_MS, LATEST_MS));
}

/** Segments joined by slashes, sometimes with leading, trailing or doubled slashes; rarely empty. */
function objectKey(p: Pickers): string {
  if (p.chance(0.02)) return '';
  const segments = Array.from({ length: p.int(1, 4) }, () => p.pick(KEY_SEGMENTS));
  let key = segments.join(p.chance(0.15) ? '//' : '/');
  if (p.chance(0.15)) key = `/${key}`;
  if (p.chance(0.15)) key = `${key}/`;
  return key;
}

/**
 * Lower-case keys. Most cases give each key its own leading letter (never `x`, which the
 * `x-oss-*` parameters start with), so any sort agrees on the order; the rest start anywhere,
 * which lets locale-aware and bytewise sorts disagree.
 */
function query(p: Pickers): QueryParams {
  const distinctHeads = p.chance(0.75);
  const heads = [...'abcdefghijklmnopqrstuvwyz'];
  const out: QueryParams = {};
  for (let n = p.int(0, 6); n > 0; n--) {
    const head = distinctHeads ? heads.splice(p.int(0, heads.length - 1), 1)[0] : p.pick([...KEY_TAIL_CHARS]);
    const key = p.chance(0.1) ? p.pick(['acl', 'uploads', 'response-content-type', 'x-oss-process', 'versionid']) : head + p.word(KEY_TAIL_CHARS, 0, 8);
    if (distinctHeads && key[0] !== head) continue;
    out[key] = p.pick(QUERY_VALUES);
  }
  return out;
}

/** Request headers (names in random case, no two alike ignoring case) and additional header names. */
function headers(p: Pickers): { headers: Record<string, string>; additionalHeaders: string[] } {
  const names = new Set<string>();
  if (p.chance(0.6)) names.add('content-type');
  if (p.chance(0.2)) names.add('content-md5');
  for (let n = p.int(0, 3); n > 0; n--) names.add(`x-oss-meta-${p.word(KEY_TAIL_CHARS.replace('~', ''), 1, 10)}`);
  for (let n = p.int(0, 2); n > 0; n--) names.add(p.pick(OSS_HEADERS));
  for (let n = p.int(0, 3); n > 0; n--) names.add(p.pick(OTHER_HEADERS).toLowerCase());
  const headers: Record<string, string> = {};
  for (const name of names) headers[randomCase(p, name)] = name === 'content-md5' ? 'eB5eJF1ptWaXm4bijSPyxw==' : p.pick(HEADER_VALUES);
  // Additional headers must be present (ali-oss throws otherwise); some are signed anyway, some repeat.
  const present = [...names];
  const additionalHeaders = p.chance(0.5) ? Array.from({ length: p.int(0, 4) }, () => randomCase(p, p.pick(present.length ? present : ['content-type']))) : [];
  return { headers, additionalHeaders: additionalHeaders.filter((h) => names.has(h.toLowerCase())) };
}

function randomCase(p: Pickers, name: string): string {
  const style = p.int(0, 2);
  if (style === 0) return name;
  if (style === 1) return name.toUpperCase();
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, ch: string) => dash + ch.toUpperCase());
}
