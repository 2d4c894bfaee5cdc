import { credentialString, DeriveSigningKey, deriveSigningKey, formatOssDate, OSS4_ALGORITHM, OssCredentials, signWithKey } from './signingKey';

/** A POST policy condition: `{field: value}` (exact match) or `[op, $field|…, value]`. */
export type PolicyCondition =
  | Record<string, string>
  | ['eq' | 'starts-with', string, string]
  | ['content-length-range', number, number]
  | ['in' | 'not-in', string, string[]];

export interface PostPolicy {
  expiration: string;
  conditions: PolicyCondition[];
}

export interface PostPolicyInput {
  credentials: OssCredentials;
  region: string;
  at: Date;
  expiresAt: Date;
  /** Conditions beyond the V4 ones this function adds (version, credential, date, token). */
  conditions: PolicyCondition[];
  /** How to get the signing key; a cache from createSigningKeyCache on hot paths. */
  deriveKey?: DeriveSigningKey;
}

/** The form fields that carry a V4 POST signature, named as OSS expects them. */
export interface SignedPostFields {
  policy: string;
  'x-oss-signature-version': typeof OSS4_ALGORITHM;
  'x-oss-credential': string;
  'x-oss-date': string;
  'x-oss-signature': string;
  'x-oss-security-token'?: string;
}

/** The policy document with the V4 conditions OSS requires, in the order the SDKs write them. */
export function buildPostPolicy(input: PostPolicyInput): PostPolicy {
  const xOssDate = formatOssDate(input.at);
  const { credentials, region } = input;
  const [bucketConditions, otherConditions] = partition(input.conditions, (c) => !Array.isArray(c) && 'bucket' in c);
  const v4: PolicyCondition[] = [
    { 'x-oss-signature-version': OSS4_ALGORITHM },
    { 'x-oss-credential': credentialString(credentials.accessKeyId, xOssDate.slice(0, 8), region) },
    { 'x-oss-date': xOssDate },
  ];
  if (credentials.securityToken) v4.push({ 'x-oss-security-token': credentials.securityToken });
  return { expiration: input.expiresAt.toISOString(), conditions: [...bucketConditions, ...v4, ...otherConditions] };
}

/** Signs the base64 of the exact policy text: for PostObject that base64 is the string to sign. */
export function signPolicyText(policyText: string, credentials: OssCredentials, region: string, at: Date, deriveKey: DeriveSigningKey = deriveSigningKey): SignedPostFields {
  const xOssDate = formatOssDate(at);
  const day = xOssDate.slice(0, 8);
  const policy = Buffer.from(policyText, 'utf8').toString('base64');
  const fields: SignedPostFields = {
    policy,
    'x-oss-signature-version': OSS4_ALGORITHM,
    'x-oss-credential': credentialString(credentials.accessKeyId, day, region),
    'x-oss-date': xOssDate,
    'x-oss-signature': signWithKey(deriveKey(credentials.accessKeySecret, day, region), policy),
  };
  if (credentials.securityToken) fields['x-oss-security-token'] = credentials.securityToken;
  return fields;
}

/** Builds and signs a POST policy in one step. */
export function signPostPolicy(input: PostPolicyInput): SignedPostFields {
  return signPolicyText(JSON.stringify(buildPostPolicy(input)), input.credentials, input.region, input.at, input.deriveKey);
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((i) => !test(i))];
}
