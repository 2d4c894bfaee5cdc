import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { apiClient } from '../../testkit/apiClient';
import { freePort } from '../../testkit/freePort';
import { SecondApi, startSecondApi } from '../../testkit/startSecondApi';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';

const redisUrl = process.env.TEST_REDIS_URL;

(redisUrl ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('rate limits shared through Redis by two API instances (%s)', (kind) => {
  let stack: Stack | undefined;
  let second: SecondApi | undefined;
  afterEach(async () => {
    await second?.close();
    await stack?.close();
    second = undefined;
    stack = undefined;
  });

  const start = async (env: NodeJS.ProcessEnv) => {
    const started = await startStack(kind, { env });
    stack = started;
    second = await startSecondApi(started, env);
    return [started.api.url, second.api.url];
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

  test('when Redis goes away mid-run, each instance limits on its own instead of failing requests', async () => {
    // A Redis of this test's own, so stopping it disturbs no one else.
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const gone = new Promise((resolve) => redis.once('exit', resolve));
    try {
      let up = false;
      for (let i = 0; i < 50 && !up; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        up = await startSecondApi(await startStackOnce(), { REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_LOGIN_PER_USER: '3' }).then(
          (api) => ((second = api), true),
          () => false,
        );
      }
      expect(up).toBe(true);
      const login = () => apiClient(second!.api.url).post('/auth/login', { code: 'test:insured' });
      expect((await login()).status).toBe(200);
      redis.kill('SIGKILL');
      await gone;
      const statuses = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await login()).status);
      // No 5xx: the in-memory insurance budget (3 a minute) answers while Redis is away.
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      redis.kill('SIGKILL');
    }
  });

  async function startStackOnce(): Promise<Stack> {
    stack ??= await startStack(kind);
    return stack;
  }
});
