import { canonicalRequest, CanonicalRequestInput, normaliseAdditionalHeaders, stringToSign, UNSIGNED_PAYLOAD } from './canonicalRequest';
import { credentialScope, deriveSigningKey, formatOssDate, OSS4_ALGORITHM, OssCredentials, signWithKey } from './signingKey';

export interface SignHeadersInput extends Omit<CanonicalRequestInput, 'payloadHash'> {
  credentials: OssCredentials;
  region: string;
  at: Date;
}

/** The `Authorization` value of a V4 header-signed request. */
export function authorizationHeader(input: SignHeadersInput & { headers: Record<string, string> }): string {
  const xOssDate = formatOssDate(input.at);
  const day = xOssDate.slice(0, 8);
  const scope = credentialScope(day, input.region);
  const canonical = canonicalRequest(input);
  const key = deriveSigningKey(input.credentials.accessKeySecret, day, input.region);
  const signature = signWithKey(key, stringToSign(xOssDate, scope, canonical));
  const additional = normaliseAdditionalHeaders(input.additionalHeaders ?? [], input.headers);
  const additionalPart = additional.length ? `,AdditionalHeaders=${additional.join(';')}` : '';
  return `${OSS4_ALGORITHM} Credential=${input.credentials.accessKeyId}/${scope}${additionalPart},Signature=${signature}`;
}

/**
 * The headers to send with a V4 header-signed request: the caller's, plus `x-oss-date`,
 * `x-oss-content-sha256`, the security token when temporary, and `Authorization`.
 */
export function signRequestHeaders(input: SignHeadersInput): Record<string, string> {
  const headers: Record<string, string> = {
    ...input.headers,
    'x-oss-date': formatOssDate(input.at),
    'x-oss-content-sha256': UNSIGNED_PAYLOAD,
  };
  if (input.credentials.securityToken) headers['x-oss-security-token'] = input.credentials.securityToken;
  return { ...headers, Authorization: authorizationHeader({ ...input, headers }) };
}

export interface ParsedAuthorization {
  accessKeyId: string;
  scope: string;
  additionalHeaders: string[];
  signature: string;
}

/** Parses `OSS4-HMAC-SHA256 Credential=…[,AdditionalHeaders=…],Signature=…`; undefined when malformed. */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const prefix = `${OSS4_ALGORITHM} `;
  if (!value.startsWith(prefix)) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.slice(prefix.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signature = fields.get('Signature');
  if (!credential || !signature) return undefined;
  const slash = credential.indexOf('/');
  if (slash <= 0) return undefined;
  const additional = fields.get('AdditionalHeaders');
  return {
    accessKeyId: credential.slice(0, slash),
    scope: credential.slice(slash + 1),
    additionalHeaders: additional ? additional.split(';') : [],
    signature,
  };
}
