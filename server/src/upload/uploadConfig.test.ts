import { deriveSigningKey, signWithKey } from '../../../oss-signer';
import { parseObjectKey } from '../../../typings';
import { buildUploadConfig } from './uploadConfig';

const now = new Date('2026-03-01T08:00:00Z');
const credentials = { accessKeyId: 'STS.abc', accessKeySecret: 'secret', securityToken: 'token', expiration: new Date('2026-03-01T09:00:00Z') };
const input = { credentials, now, bucket: 'family-album', region: 'cn-hangzhou', familyId: 7, maxSizeBytes: 1000, policyTtlSec: 600, uploadHost: 'http://127.0.0.1:3001/family-album' };

describe('buildUploadConfig', () => {
  const config = buildUploadConfig(input);
  const policy = JSON.parse(Buffer.from(config.policy, 'base64').toString('utf8'));

  test('pins bucket, family folder, size, status, media types, no overwrite, and the V4 fields', () => {
    expect(policy.conditions).toEqual([
      { bucket: 'family-album' },
      { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
      { 'x-oss-credential': 'STS.abc/20260301/cn-hangzhou/oss/aliyun_v4_request' },
      { 'x-oss-date': '20260301T080000Z' },
      { 'x-oss-security-token': 'token' },
      ['starts-with', '$key', 'families/7/'],
      ['content-length-range', 1, 1000],
      ['eq', '$success_action_status', '200'],
      ['in', '$content-type', expect.arrayContaining(['image/jpeg', 'video/mp4'])],
      { 'x-oss-forbid-overwrite': 'true' },
      { 'x-oss-object-acl': 'private' },
    ]);
    expect(config).toMatchObject({ file_base_path: 'families/7/', max_size: 1000, success_action_status: '200', security_token: 'token', date: '20260301T080000Z' });
  });

  test('the signature is the V4 HMAC of the base64 policy', () => {
    expect(config.signature).toBe(signWithKey(deriveSigningKey('secret', '20260301', 'cn-hangzhou'), config.policy));
  });

  test('expires after the policy lifetime', () => {
    expect(policy.expiration).toBe('2026-03-01T08:10:00.000Z');
    expect(config.expire_at).toBe('2026-03-01T08:10:00.000Z');
  });

  test('never outlives the STS credentials', () => {
    const late = buildUploadConfig({ ...input, now: new Date('2026-03-01T08:55:00Z') });
    expect(late.expire_at).toBe('2026-03-01T09:00:00.000Z');
  });
});

describe('parseObjectKey', () => {
  const md5 = '0123456789abcdef0123456789abcdef';
  test('accepts exactly the family folder, the hash and a known extension', () => {
    expect(parseObjectKey(`families/7/${md5}.jpg`, 7, md5)).toEqual({ extension: 'jpg' });
  });
  test.each([
    `families/8/${md5}.jpg`,
    `families/7/${md5}.exe`,
    `families/7/${'f'.repeat(32)}.jpg`,
    `families/7/../8/${md5}.jpg`,
    `families/7//${md5}.jpg`,
    `/families/7/${md5}.jpg`,
    `families/7/${md5}.JPG`,
    `families\\7\\${md5}.jpg`,
    `families/07/${md5}.jpg`.replace('07', '7%2F'),
    `families/7/${md5}.jpg\n`,
    `families/07/${md5}.jpg`,
  ])('rejects %j', (key) => {
    expect(parseObjectKey(key, 7, md5)).toBeUndefined();
  });
});
