import { randomBytes } from 'node:crypto';
import { apiClient } from '../../testkit/apiClient';
import { freePort } from '../../testkit/freePort';
import { SecondApi, startSecondApi } from '../../testkit/startSecondApi';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';

const redisUrl = process.env.TEST_REDIS_URL;

(redisUrl ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('rate limits shared through Redis by two API instances (%s)', (kind) => {
  let stack: Stack;
  let second: SecondApi | undefined;
  afterEach(async () => {
    await second?.close();
    second = undefined;
    await stack?.close();
  });

  const start = async (env: NodeJS.ProcessEnv) => {
    stack = await startStack(kind, { env });
    second = await startSecondApi(stack, env);
    return [stack.api.url, second.api.url];
  };

  test('together they allow exactly the limit, and refuse with Retry-After past it', async () => {
    const urls = await start({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `test:${randomBytes(8).toString('hex')}`, RATE_LIMIT_LOGIN_PER_USER: '5' });
    // 12 logins of one user, alternating instances, all at once.
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => apiClient(urls[i % 2]).post('/auth/login', { code: 'test:shared' })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(7);
    for (const answer of refused) {
      expect(answer.body.error.code).toBe('rate_limited');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });

  test('without REDIS_URL each instance counts alone: together they allow twice the limit', async () => {
    const urls = await start({ RATE_LIMIT_LOGIN_PER_USER: '5' });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => apiClient(urls[i % 2]).post('/auth/login', { code: 'test:shared' })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
  });

  test('a REDIS_URL that does not answer stops startup with one line naming it, not the URL', async () => {
    stack = await startStack(kind);
    const deadUrl = `redis://:S3cretMark@127.0.0.1:${await freePort()}`;
    await expect(startSecondApi(stack, { REDIS_URL: deadUrl })).rejects.toThrow(/^REDIS_URL: Redis did not answer$/);
  });
});
