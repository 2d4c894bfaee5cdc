import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { openPostgresStore } from '../../server/src/store/postgresStore';
import { openSqliteStore } from '../../server/src/store/sqliteStore';
import { apiClient, loginAs } from '../../testkit/apiClient';
import { startApiChild } from '../../testkit/startApiChild';
import { freePort } from '../../testkit/freePort';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';

describe.each(storeKinds())('/healthz (%s)', (kind) => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  test('N calls make at most one probe round per interval', async () => {
    let nowMs = Date.parse('2026-06-01T00:00:00Z');
    stack = await startStack(kind, { now: () => new Date(nowMs) });
    const client = apiClient(stack.api.url);
    // Each round makes one signed OSS HEAD (the storage probe); nothing else here talks to OSS.
    const ossRequests = () => stack!.cloud.oss.stats().requests;
    const burst = await Promise.all(Array.from({ length: 20 }, () => client.get('/healthz')));
    for (let i = 0; i < 5; i += 1) burst.push(await client.get('/healthz'));
    expect(burst.every((a) => a.status === 200 && a.body.ok === true)).toBe(true);
    expect(ossRequests()).toBe(1);
    nowMs += 4_000;
    await client.get('/healthz');
    expect(ossRequests()).toBe(1);
    nowMs += 1_000;
    await Promise.all(Array.from({ length: 5 }, () => client.get('/healthz')));
    expect(ossRequests()).toBe(2);
  });
});

const asRoot = process.getuid?.() === 0;
/** Root ignores file modes: the API that must meet a read-only file runs as `nobody`. */
const NOBODY = { uid: 65534, gid: 65534 };

describe('a store that cannot write is not healthy', () => {
  test('SQLite: the database file is read-only', async () => {
    const stack = await startStack('sqlite');
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'album-readonly-'));
    try {
      const file = path.join(dataDir, 'album.sqlite');
      await (await openSqliteStore(file)).close();
      await chmod(file, 0o444);
      // The folder stays writable: SQLite keeps its WAL index beside the file even to read.
      await chmod(dataDir, 0o777);
      const port = (url: string) => new URL(url).port;
      const api = await startApiChild(
        {
          DATA_DIR: dataDir,
          PORT: String(await freePort()),
          LOCAL_OSS_PORT: port(stack.cloud.urls.oss),
          LOCAL_STS_PORT: port(stack.cloud.urls.sts),
          LOCAL_WECHAT_PORT: port(stack.cloud.urls.wechat),
          LOG_LEVEL: 'silent',
        },
        asRoot ? NOBODY : {},
      );
      try {
        const health = await apiClient(api.url).get('/healthz');
        expect(health.status).toBe(503);
        expect(health.body).toMatchObject({ ok: false, store: { kind: 'sqlite', ok: false }, storage: { ok: true }, sts: { ok: true }, wechat: { ok: true } });
        // Reads still work; a write is a retryable 503 with the store's own code, not a 500.
        const login = await apiClient(api.url).post('/auth/login', { code: 'test:alice' });
        expect(login.status).toBe(503);
        expect(login.body.error.code).toBe('store_unavailable');
        expect(login.headers.get('retry-after')).toBe('1');
      } finally {
        await api.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      await stack.close();
    }
  }, 60_000);

  (process.env.TEST_DATABASE_URL ? test : test.skip)('PostgreSQL: the role the API connects as turns read-only', async () => {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    const role = `album_ro_${randomBytes(5).toString('hex')}`;
    const schema = `api_test_${randomBytes(6).toString('hex')}`;
    const database = new URL(adminUrl).pathname.slice(1);
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT CREATE ON DATABASE ${database} TO ${role}`);
    const url = new URL(adminUrl);
    url.username = role;
    const store = await openPostgresStore(url.toString(), { schema });
    let nowMs = Date.now();
    const stack = await startStack('postgres', { store, now: () => new Date(nowMs) });
    try {
      const alice = await loginAs(stack.api.url, 'alice');
      expect((await apiClient(stack.api.url).get('/healthz')).body.store).toEqual({ kind: 'postgres', ok: true });
      // As after a failover to a standby: the same role, now read-only on every new connection.
      await admin.query(`ALTER ROLE ${role} SET default_transaction_read_only = on`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
      nowMs += 6_000; // past the cached round
      const health = await apiClient(stack.api.url).get('/healthz');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ ok: false, store: { kind: 'postgres', ok: false }, storage: { ok: true } });
      expect((await alice.client.get('/families')).status).toBe(200);
      const write = await alice.client.post('/families', { name: 'f' });
      expect(write.status).toBe(503);
      expect(write.body.error.code).toBe('store_unavailable');
    } finally {
      await stack.close();
      await store.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.query(`REVOKE CREATE ON DATABASE ${database} FROM ${role}`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  }, 30_000);
});
