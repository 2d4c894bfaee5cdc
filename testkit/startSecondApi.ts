import path from 'node:path';
import { loadConfig } from '../server/src/config';
import { createLogger } from '../server/src/logger';
import { RunningApi, startApi } from '../server/src/startApi';
import { openPostgresStore } from '../server/src/store/postgresStore';
import { openSqliteStore } from '../server/src/store/sqliteStore';
import type { Stack } from './startStack';

export interface SecondApi {
  api: RunningApi;
  close(): Promise<void>;
}

/**
 * Another API instance beside a stack's: its own app, caches and limits, its own connection pool
 * (or SQLite handle) on the stack's database, the same local cloud. `env` adds settings (REDIS_URL...).
 */
export async function startSecondApi(stack: Stack, env: NodeJS.ProcessEnv = {}, options: { now?: () => Date } = {}): Promise<SecondApi> {
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
  const store =
    stack.store.kind === 'postgres'
      ? await openPostgresStore(process.env.TEST_DATABASE_URL!, { schema: stack.schema })
      : await openSqliteStore(path.join(stack.config.dataDir, 'album.sqlite'));
  try {
    const api = await startApi(config, { logger: createLogger('silent'), store, now: options.now });
    return {
      api,
      async close() {
        await api.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
