import type { OssUploadConfig } from '../../../typings';
import { DeriveSigningKey, PolicyCondition, signPostPolicy } from '../../../oss-signer';
import type { TemporaryCredentials } from '../sts/cachedCredentials';

export interface SignUploadInput {
  credentials: TemporaryCredentials;
  now: Date;
  region: string;
  policyTtlSec: number;
  uploadHost: string;
  /** The policy's conditions; they pin `keyPrefix`, `maxSizeBytes` and `contentTypes`. */
  conditions: PolicyCondition[];
  keyPrefix: string;
  maxSizeBytes: number;
  contentTypes: readonly string[];
  deriveKey?: DeriveSigningKey;
}

/**
 * A signed POST policy for one folder, answered with what a phone needs to post straight to OSS;
 * it expires within minutes and never after the credentials do.
 */
export function signUploadConfig(input: SignUploadInput): OssUploadConfig {
  const expiresAt = new Date(Math.min(input.now.getTime() + input.policyTtlSec * 1000, input.credentials.expiration.getTime()));
  const signed = signPostPolicy({
    credentials: input.credentials,
    region: input.region,
    at: input.now,
    expiresAt,
    conditions: input.conditions,
    deriveKey: input.deriveKey,
  });
  return {
    host: input.uploadHost,
    policy: signed.policy,
    signature: signed['x-oss-signature'],
    credential: signed['x-oss-credential'],
    date: signed['x-oss-date'],
    security_token: input.credentials.securityToken,
    signature_version: 'OSS4-HMAC-SHA256',
    file_base_path: input.keyPrefix,
    expire_at: expiresAt.toISOString(),
    max_size: input.maxSizeBytes,
    success_action_status: '200',
    allowed_content_types: [...input.contentTypes],
  };
}
