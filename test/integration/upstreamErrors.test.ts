import { loginAs, apiClient } from '../../testkit/apiClient';
import { Stack, startStack } from '../../testkit/startStack';

/**
 * The upstream adapters throw typed errors and the one error handler answers them: every route
 * that reaches STS, WeChat or OSS answers the same retryable code when that service is down,
 * not a route-by-route translation (or a 500 where no route translated).
 */
describe('an upstream that does not answer is a retryable 5xx with its own code, on every route', () => {
  let stack: Stack;
  afterEach(() => stack?.close());

  test('STS down: the signature and the album listing both answer 503 sts_unavailable with Retry-After', async () => {
    stack = await startStack('sqlite');
    const alice = await loginAs(stack.api.url, 'alice');
    const created = (await alice.client.post('/families', { name: 'family' })).body;
    // Before any credential was fetched: both routes need AssumeRole, and it cannot answer.
    await stack.cloud.sts.close();
    const signature = await alice.client.get(`/families/oss/signature?family_id=${created.family.id}&album_id=${created.album.id}`);
    // The listing presigns view URLs only when there is a photo to show; an empty page still needs none.
    await stack.store.insertPhotos(
      created.family.id,
      [
        {
          albumId: created.album.id,
          hash: 'a'.repeat(32),
          objectKey: `families/${created.family.id}/${'a'.repeat(32)}.jpg`,
          fileName: 'a.jpg',
          fileType: 'image',
          fileSize: 3,
          creatorId: alice.user.id,
          uploadTime: new Date(),
        },
      ],
      new Date(),
    );
    const listing = await alice.client.get(`/albums/${created.album.id}/photos`);
    for (const answer of [signature, listing]) {
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('sts_unavailable');
      expect(answer.headers.get('retry-after')).toBe('1');
    }
    // Logged as an upstream failure with its cause, never as an unhandled error.
    const logged = stack.logs.join('');
    expect(logged).toContain('upstream failure');
    expect(logged).not.toContain('unhandled error');
  });

  test('WeChat down: login answers 502 wechat_unavailable', async () => {
    stack = await startStack('sqlite');
    await stack.cloud.wechat.close();
    const answer = await apiClient(stack.api.url).post('/auth/login', { code: 'test:alice' });
    expect(answer.status).toBe(502);
    expect(answer.body.error.code).toBe('wechat_unavailable');
  });
});
