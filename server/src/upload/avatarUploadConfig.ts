import { AVATAR_CONTENT_TYPES, avatarPrefix, type OssUploadConfig } from '../../../typings';
import type { DeriveSigningKey, PolicyCondition } from '../../../oss-signer';
import type { TemporaryCredentials } from '../sts/cachedCredentials';
import { signUploadConfig } from './signUploadConfig';

export interface AvatarUploadConfigInput {
  credentials: TemporaryCredentials;
  now: Date;
  bucket: string;
  region: string;
  userId: number;
  maxSizeBytes: number;
  policyTtlSec: number;
  uploadHost: string;
  deriveKey?: DeriveSigningKey;
}

/** Pins an avatar upload to the user's own folder, a small size and image types, never overwriting. */
export function avatarUploadConditions(bucket: string, userId: number, maxSizeBytes: number): PolicyCondition[] {
  return [
    { bucket },
    ['starts-with', '$key', avatarPrefix(userId)],
    ['content-length-range', 1, maxSizeBytes],
    ['eq', '$success_action_status', '200'],
    ['in', '$content-type', [...AVATAR_CONTENT_TYPES]],
    { 'x-oss-forbid-overwrite': 'true' },
  ];
}

/**
 * The same signed direct upload as photos (the phone posts to OSS; no byte through the API), for
 * one user's `avatars/<userId>/` folder.
 */
export function buildAvatarUploadConfig(input: AvatarUploadConfigInput): OssUploadConfig {
  return signUploadConfig({
    ...input,
    conditions: avatarUploadConditions(input.bucket, input.userId, input.maxSizeBytes),
    keyPrefix: avatarPrefix(input.userId),
    contentTypes: AVATAR_CONTENT_TYPES,
  });
}
