import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';
import { RunningApi, startApi } from '../../server/src/startApi';
import { openPostgresStore } from '../../server/src/store/postgresStore';
import { openSqliteStore } from '../../server/src/store/sqliteStore';
import type { Store } from '../../server/src/store/Store';
import { apiClient } from '../../testkit/apiClient';
import { freePort } from '../../testkit/freePort';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';

const redisUrl = process.env.TEST_REDIS_URL;

/** A second API instance beside the stack's: its own process state, the same database and Redis. */
async function secondInstance(stack: Stack, env: NodeJS.ProcessEnv): Promise<{ api: RunningApi; store: Store }> {
  const port = (url: string) => new URL(url).port;
  const config = {
    ...loadConfig({
      DATA_DIR: stack.config.dataDir,
      LOCAL_OSS_PORT: port(stack.cloud.urls.oss),
      LOCAL_STS_PORT: port(stack.cloud.urls.sts),
      LOCAL_WECHAT_PORT: port(stack.cloud.urls.wechat),
      ...env,
    }),
    port: 0,
  };
  // Its own connection pool (or SQLite handle) on the stack's database.
  const store =
    stack.store.kind === 'postgres'
      ? await openPostgresStore(process.env.TEST_DATABASE_URL!, { schema: stack.schema })
      : await openSqliteStore(path.join(stack.config.dataDir, 'album.sqlite'));
  try {
    return { api: await startApi(config, { logger: createLogger('silent'), store }), store };
  } catch (error) {
    await store.close();
    throw error;
  }
}

(redisUrl ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('rate limits shared through Redis by two API instances (%s)', (kind) => {
  let stack: Stack;
  let second: { api: RunningApi; store: Store } | undefined;
  afterEach(async () => {
    await second?.api.close();
    await second?.store.close();
    second = undefined;
    await stack?.close();
  });

  const start = async (env: NodeJS.ProcessEnv) => {
    stack = await startStack(kind, { env });
    second = await secondInstance(stack, env);
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
    await expect(secondInstance(stack, { REDIS_URL: deadUrl })).rejects.toThrow(/^REDIS_URL: Redis did not answer$/);
  });
});
