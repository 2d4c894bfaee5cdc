import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Config, loadConfig } from '../server/src/config';
import type { OssFaults } from '../localcloud/oss/createOssEmulator';
import { LocalCloud, startLocalCloud } from '../localcloud/startLocalCloud';
import { localCloudSettings } from '../server/src/localCloudSettings';
import { createLogger } from '../server/src/logger';
import { RunningApi, startApi } from '../server/src/startApi';
import { openPostgresStore } from '../server/src/store/postgresStore';
import { openSqliteStore } from '../server/src/store/sqliteStore';
import type { Store } from '../server/src/store/Store';

export type StoreKind = 'sqlite' | 'postgres';

export interface Stack {
  config: Config;
  cloud: LocalCloud;
  api: RunningApi;
  store: Store;
  /** The PostgreSQL schema the stack made (another store can open it too). */
  schema?: string;
  /** Every log line the API wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * The real stack on free ports of 127.0.0.1: local OSS, STS and WeChat servers, and the API over
 * SQLite (a temp file) or PostgreSQL (a fresh schema of TEST_DATABASE_URL, dropped afterwards).
 */
export interface StackOptions {
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  ossFaults?: Partial<OssFaults>;
  /** A store the test opened itself (e.g. as a database role it controls); the test closes it. */
  store?: Store;
}

export async function startStack(kind: StoreKind, options: StackOptions = {}): Promise<Stack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'album-stack-'));
  const baseConfig = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'info', ...options.env });
  const cloud = await startLocalCloud(localCloudSettings(baseConfig), { now: options.now, ossFaults: options.ossFaults, ephemeralPorts: true });
  const port = (url: string) => new URL(url).port;
  const config: Config = {
    ...loadConfig({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      LOCAL_OSS_PORT: port(cloud.urls.oss),
      LOCAL_STS_PORT: port(cloud.urls.sts),
      LOCAL_WECHAT_PORT: port(cloud.urls.wechat),
      ...options.env,
    }),
    port: 0,
  };

  let store: Store;
  let schema: string | undefined;
  let dropSchema = async () => {};
  let closeStore = () => store.close();
  if (options.store) {
    store = options.store;
    closeStore = async () => {};
  } else if (kind === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    schema = `api_test_${randomBytes(6).toString('hex')}`;
    store = await openPostgresStore(url, { schema });
    dropSchema = async () => {
      const { Client } = await import('pg');
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    };
  } else {
    store = await openSqliteStore(path.join(dataDir, 'album.sqlite'));
  }

  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const api = await startApi(config, { logger: createLogger('info', sink), now: options.now, store });
  return {
    config,
    cloud,
    api,
    store,
    schema,
    logs,
    async close() {
      await api.close();
      await closeStore();
      await dropSchema();
      await cloud.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The store kinds to run: PostgreSQL only where TEST_DATABASE_URL says where it is. */
export function storeKinds(): StoreKind[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}
