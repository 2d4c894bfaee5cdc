import { createHash } from 'node:crypto';
import type { OssUploadConfig, PhotoMeta, PhotoView } from '../typings/api';

/** A policy as the API hands it out: signed at `signedAt`, expiring `ttlSec` later (server clock). */
export function policyFixture(options: { signedAt?: number; ttlSec?: number; familyId?: number; tag?: string } = {}): OssUploadConfig {
  const signedAt = new Date(options.signedAt ?? Date.UTC(2024, 0, 15, 8, 30, 0));
  const date = signedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return {
    host: 'http://127.0.0.1:3001',
    policy: `policy-${options.tag ?? 'p1'}`,
    signature: `sig-${options.tag ?? 'p1'}`,
    credential: `STS.x/${date.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request`,
    date,
    security_token: 'token==',
    signature_version: 'OSS4-HMAC-SHA256',
    file_base_path: `families/${options.familyId ?? 7}/`,
    expire_at: new Date(signedAt.getTime() + (options.ttlSec ?? 600) * 1000).toISOString(),
    max_size: 1024 ** 3,
    success_action_status: '200',
    allowed_content_types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'video/mp4', 'video/quicktime', 'video/x-m4v', 'video/3gpp'],
  };
}

export function photoFixture(id: number, hash: string, overrides: Partial<PhotoView> = {}): PhotoView {
  return {
    id,
    album_id: 3,
    family_id: 7,
    file_name: `f${id}.jpg`,
    file_type: 'image',
    file_size: 1,
    hash_value: hash,
    object_key: `families/7/${hash}.jpg`,
    creator_id: 1,
    upload_time: '2024-01-15T08:30:00.000Z',
    created_at: '2024-01-15T08:30:00.000Z',
    ...overrides,
  };
}

/** A commit item for a JPEG's bytes at their content-addressed key, as the phone sends it. */
export function jpegPhotoMeta(ids: { familyId: number; albumId: number }, bytes: Buffer, overrides: Partial<PhotoMeta> = {}): PhotoMeta {
  const hash = createHash('md5').update(bytes).digest('hex');
  return {
    album_id: ids.albumId,
    family_id: ids.familyId,
    file_name: 'a.jpg',
    object_key: `families/${ids.familyId}/${hash}.jpg`,
    file_type: 'image',
    file_size: bytes.length,
    hash_value: hash,
    ...overrides,
  };
}
