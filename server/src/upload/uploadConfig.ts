import { ALLOWED_CONTENT_TYPES, familyPrefix, type OssUploadConfig } from '../../../typings';
import type { DeriveSigningKey, PolicyCondition } from '../../../oss-signer';
import type { TemporaryCredentials } from '../sts/cachedCredentials';
import { signUploadConfig } from './signUploadConfig';

export interface UploadConfigInput {
  credentials: TemporaryCredentials;
  now: Date;
  bucket: string;
  region: string;
  familyId: number;
  maxSizeBytes: number;
  policyTtlSec: number;
  uploadHost: string;
  deriveKey?: DeriveSigningKey;
}

/**
 * The conditions that pin an upload to one family's folder, a size range and media types, never
 * overwriting. A policy cannot forbid a form field: every condition names a field the form must
 * then carry (https://help.aliyun.com/en/oss/user-guide/0006-00000226), and fields it does not
 * name (Content-Encoding, Content-Disposition, x-oss-meta-*, …) are stored as given; nor can one
 * policy, reused for a batch of mixed files, tie the Content-Type to the key's extension. So the
 * commit judges what OSS stored (storedHeadersProblem), and this policy keeps to what it can pin.
 */
export function uploadConditions(bucket: string, familyId: number, maxSizeBytes: number): PolicyCondition[] {
  return [
    { bucket },
    ['starts-with', '$key', familyPrefix(familyId)],
    ['content-length-range', 1, maxSizeBytes],
    ['eq', '$success_action_status', '200'],
    ['in', '$content-type', [...ALLOWED_CONTENT_TYPES]],
    { 'x-oss-forbid-overwrite': 'true' },
  ];
}

/** A signed POST policy for one family, expiring within minutes and never after the credentials do. */
export function buildUploadConfig(input: UploadConfigInput): OssUploadConfig {
  return signUploadConfig({
    ...input,
    conditions: uploadConditions(input.bucket, input.familyId, input.maxSizeBytes),
    keyPrefix: familyPrefix(input.familyId),
    contentTypes: ALLOWED_CONTENT_TYPES,
  });
}
