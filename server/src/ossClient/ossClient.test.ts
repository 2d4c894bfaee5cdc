import type { CredentialCache, TemporaryCredentials } from '../sts/cachedCredentials';
import { createOssClient } from './ossClient';

/** presignGet's promise, with credentials closer to their end than the cache would ever hand out. */
describe('presignGet', () => {
  const signedAt = Date.parse('2026-12-01T08:00:00.000Z');
  const clientWith = (credentialsLeftSec: number, nowMs: number) => {
    const credentials: TemporaryCredentials = { accessKeyId: 'STS.a', accessKeySecret: 's', securityToken: 't', expiration: new Date(signedAt + credentialsLeftSec * 1000) };
    const cache: CredentialCache = { get: async () => credentials, fetchCount: () => 1 };
    return createOssClient({ bucket: 'b', region: 'cn-hangzhou', endpoint: 'http://127.0.0.1:1', publicEndpoint: 'http://127.0.0.1:1', credentials: cache, now: () => new Date(nowMs) });
  };
  const expiresParam = (url: string) => Number(new URL(url).searchParams.get('x-oss-expires'));

  test('promises exactly what the URL says: its signing second plus x-oss-expires', async () => {
    const client = clientWith(3600, signedAt + 750);
    const { url, expiresAt } = await client.presignGet('families/1/a.jpg', 1800);
    expect(new URL(url).searchParams.get('x-oss-date')).toBe('20261201T080000Z');
    expect(expiresParam(url)).toBe(1800);
    expect(expiresAt.toISOString()).toBe('2026-12-01T08:30:00.000Z');
    client.close();
  });

  test('never outlives the credentials it carries: the token still holds at its last second', async () => {
    const client = clientWith(100, signedAt + 750);
    const { url, expiresAt } = await client.presignGet('families/1/a.jpg', 1800);
    expect(expiresParam(url)).toBe(99);
    expect(expiresAt.getTime()).toBe(signedAt + 99_000);
    client.close();
  });
});
