import { canonicalQuery, canonicalRequest, normaliseAdditionalHeaders, QueryParams, stringToSign } from './canonicalRequest';
import { credentialScope, credentialString, deriveSigningKey, formatOssDate, OSS4_ALGORITHM, OssCredentials, signWithKey } from './signingKey';

export interface PresignInput {
  credentials: OssCredentials;
  region: string;
  bucket: string;
  key: string;
  method: string;
  at: Date;
  expiresInSec: number;
  query?: QueryParams;
  /** Headers the eventual request will carry; the signed ones must then match. */
  headers?: Record<string, string>;
  additionalHeaders?: readonly string[];
}

/** The full query of a V4 presigned URL, `x-oss-signature` included. */
export function presignQuery(input: PresignInput): QueryParams {
  const xOssDate = formatOssDate(input.at);
  const day = xOssDate.slice(0, 8);
  const additional = normaliseAdditionalHeaders(input.additionalHeaders ?? [], input.headers ?? {});
  const query: QueryParams = {
    ...input.query,
    'x-oss-signature-version': OSS4_ALGORITHM,
    'x-oss-credential': credentialString(input.credentials.accessKeyId, day, input.region),
    'x-oss-date': xOssDate,
    'x-oss-expires': String(input.expiresInSec),
  };
  if (input.credentials.securityToken) query['x-oss-security-token'] = input.credentials.securityToken;
  if (additional.length) query['x-oss-additional-headers'] = additional.join(';');
  const canonical = canonicalRequest({ ...input, query, additionalHeaders: additional });
  const key = deriveSigningKey(input.credentials.accessKeySecret, day, input.region);
  const signature = signWithKey(key, stringToSign(xOssDate, credentialScope(day, input.region), canonical));
  return { ...query, 'x-oss-signature': signature };
}

/** A presigned URL: the object's URL (endpoint, bucket and encoded key, as the caller addresses it) plus the signed query. */
export function presignUrl(input: PresignInput & { objectUrl: string }): string {
  return `${input.objectUrl}?${canonicalQuery(presignQuery(input))}`;
}
