import { createHmac } from 'node:crypto';

/** An access key pair, optionally temporary (STS) with its security token. */
export interface OssCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export const OSS4_ALGORITHM = 'OSS4-HMAC-SHA256';

/** `yyyymmddTHHMMSSZ` in UTC, the form of `x-oss-date`. */
export function formatOssDate(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Parses `yyyymmddTHHMMSSZ`; undefined when the text is not exactly that form. */
export function parseOssDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(at.getTime()) || formatOssDate(at) !== text ? undefined : at;
}

/** `<yyyymmdd>/<region>/oss/aliyun_v4_request`; the region is bare (`cn-hangzhou`). */
export function credentialScope(yyyymmdd: string, region: string): string {
  return `${yyyymmdd}/${region}/oss/aliyun_v4_request`;
}

/** `<AccessKeyId>/<scope>`, the value of `x-oss-credential`. */
export function credentialString(accessKeyId: string, yyyymmdd: string, region: string): string {
  return `${accessKeyId}/${credentialScope(yyyymmdd, region)}`;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The V4 signing key: a chain of HMACs over date, region, service and terminator. */
export function deriveSigningKey(accessKeySecret: string, yyyymmdd: string, region: string): Buffer {
  const kDate = hmac(`aliyun_v4${accessKeySecret}`, yyyymmdd);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, 'oss');
  return hmac(kService, 'aliyun_v4_request');
}

export type DeriveSigningKey = typeof deriveSigningKey;

/**
 * deriveSigningKey remembering its last answer: the key changes once a day or when credentials
 * rotate, while a busy signer would otherwise run four HMACs per request. Each cache is its
 * owner's (no module state).
 */
export function createSigningKeyCache(): DeriveSigningKey {
  let last: { secret: string; day: string; region: string; key: Buffer } | undefined;
  return (accessKeySecret, yyyymmdd, region) => {
    if (last?.secret !== accessKeySecret || last.day !== yyyymmdd || last.region !== region) {
      last = { secret: accessKeySecret, day: yyyymmdd, region, key: deriveSigningKey(accessKeySecret, yyyymmdd, region) };
    }
    return last.key;
  };
}

/** Lower-case hex HMAC-SHA256 of a string to sign. */
export function signWithKey(signingKey: Buffer, stringToSign: string): string {
  return hmac(signingKey, stringToSign).toString('hex');
}
