import { deriveSigningKey, OSS4_ALGORITHM, parseOssDate, signWithKey } from '../../oss-signer';
import type { SecretResolver } from './createSecretResolver';
import { contentLengthRange, evaluatePolicyConditions, LengthRange, uncoveredSignatureFields } from './evaluatePolicyConditions';
import { accessDenied, invalidArgument, OssError, policyExpired, requestTimeTooSkewed } from './ossError';
import { parsePostPolicy } from './parsePostPolicy';
import { checkCredential, MAX_CLOCK_SKEW_MS, signaturesEqual } from './verifyRequestAuth';

/**
 * How long after the form's x-oss-date OSS still accepts it: "实际服务器接收到请求的时间与x-oss-date携带
 * 的时间相比，可以晚最多15分钟" (the server's time may be at most 15 minutes after x-oss-date),
 * https://help.aliyun.com/zh/oss/developer-reference/signature-version-4-recommend (form element
 * x-oss-date). The policy's own expiration is checked besides.
 */
export const MAX_POST_SIGNATURE_AGE_MS = 15 * 60 * 1000;
/** OSS object keys are 1–1023 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1023;

export interface PostObjectInput {
  /** The form fields before `file`, names lower-cased. */
  fields: ReadonlyMap<string, string>;
  /** The bucket the request addressed. */
  bucket: string;
  region: string;
  now: Date;
  secretFor: SecretResolver;
  /** The Content-Type the object will get, the value `$content-type` conditions see. */
  contentType: string;
}

export interface VerifiedPostObject {
  key: string;
  accessKeyId: string;
  policyExpiration: Date;
  lengthRange?: LengthRange;
}

const REQUIRED_FIELDS = ['key', 'policy', 'x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-signature'] as const;

function requireFields(fields: ReadonlyMap<string, string>): void {
  if (!fields.has('x-oss-signature-version') && (fields.has('ossaccesskeyid') || fields.has('signature'))) {
    throw invalidArgument(`This local OSS emulator accepts V4 form signatures only (x-oss-signature-version=${OSS4_ALGORITHM}).`);
  }
  for (const name of REQUIRED_FIELDS) {
    if (!fields.get(name)) throw invalidArgument(`The form field "${name}" is missing or empty.`, { FieldName: name });
  }
}

/** Key limits OSS enforces on every write. */
export function checkObjectKey(key: string): void {
  if (key === '') throw invalidArgument('The object key must not be empty.');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new OssError(400, 'InvalidObjectName', `The Length of Object name must be less than ${MAX_KEY_BYTES + 1}.`, { Key: key.slice(0, 64) });
  }
}

/**
 * Checks a V4 PostObject form the way OSS does, before a byte of the file is stored: required
 * fields, credential scope and date, key id and token, the signature (HMAC over the base64 policy
 * as sent), then the policy itself: expiry, the V4 fields it must constrain, and every condition.
 * The body size (`content-length-range`) is returned for the streaming check.
 */
export function verifyPostObject(input: PostObjectInput): VerifiedPostObject {
  const { fields } = input;
  requireFields(fields);
  const key = fields.get('key') as string;
  checkObjectKey(key);
  if (fields.get('x-oss-signature-version') !== OSS4_ALGORITHM) {
    throw invalidArgument(`x-oss-signature-version must be ${OSS4_ALGORITHM}.`);
  }
  const xOssDate = fields.get('x-oss-date') as string;
  const signedAt = parseOssDate(xOssDate);
  if (!signedAt) throw invalidArgument('x-oss-date must have the form yyyymmddTHHMMSSZ.');
  const { accessKeyId } = checkCredential(fields.get('x-oss-credential') as string, xOssDate, input.region);
  if (signedAt.getTime() - input.now.getTime() > MAX_CLOCK_SKEW_MS) throw requestTimeTooSkewed(xOssDate, input.now);
  // No EC page names this cause, so none is sent.
  if (input.now.getTime() - signedAt.getTime() > MAX_POST_SIGNATURE_AGE_MS) throw requestTimeTooSkewed(xOssDate, input.now);

  const secret = input.secretFor(accessKeyId, fields.get('x-oss-security-token'), input.now);
  const policyField = fields.get('policy') as string;
  const expected = signWithKey(deriveSigningKey(secret, xOssDate.slice(0, 8), input.region), policyField);
  const provided = fields.get('x-oss-signature') as string;
  if (!signaturesEqual(expected, provided)) {
    throw new OssError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      StringToSign: policyField,
      SignatureProvided: provided,
      OSSAccessKeyId: accessKeyId,
    });
  }

  const policy = parsePostPolicy(policyField);
  if (input.now.getTime() > policy.expiration.getTime()) throw policyExpired();
  const extra = uncoveredSignatureFields(policy.conditions, new Set(fields.keys()));
  if (extra.length) throw accessDenied(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`, {}, '0006-00000228');
  const failed = evaluatePolicyConditions(policy.conditions, (name) => {
    if (name === 'bucket') return input.bucket;
    if (name === 'content-type') return input.contentType;
    return fields.get(name);
  });
  if (failed) throw failed;
  return { key, accessKeyId, policyExpiration: policy.expiration, lengthRange: contentLengthRange(policy.conditions) };
}
