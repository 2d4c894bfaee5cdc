import path from 'node:path';
import type { Stack } from '../testkit/startStack';
import type { ApiChildInput, ApiChildReady, ApiChildStats } from './apiChild';
import { startTsChild } from './childProcess';

export interface ApiProcess {
  urls: ApiChildReady;
  stats(): Promise<ApiChildStats>;
  close(): Promise<void>;
}

/**
 * The API (plus the bench's relay and hello-world apps) in a child process, on the stack's local
 * cloud and SQLite file: the same configuration the stack's in-process API has.
 */
export async function startApiProcess(stack: Stack, env: Record<string, string>, nodeArgs: string[] = []): Promise<ApiProcess> {
  const port = (url: string) => new URL(url).port;
  const input: ApiChildInput = {
    env: {
      LOG_LEVEL: 'info',
      ...env,
      DATA_DIR: stack.config.dataDir,
      LOCAL_OSS_PORT: port(stack.cloud.urls.oss),
      LOCAL_STS_PORT: port(stack.cloud.urls.sts),
      LOCAL_WECHAT_PORT: port(stack.cloud.urls.wechat),
    },
  };
  const child = await startTsChild<ApiChildReady>(path.join(__dirname, 'apiChild.ts'), input, { nodeArgs });
  return {
    urls: child.ready,
    stats: () => child.call<ApiChildStats>('stats'),
    close: () => child.close(),
  };
}
