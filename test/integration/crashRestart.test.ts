/**
 * The API process is killed (SIGKILL) while a commit is in flight and started again; the client's
 * retried commit leaves each photo exactly once, and no kill ever leaves a batch half-written.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { Config, loadConfig } from '../../server/src/config';
import { LocalCloud, startLocalCloud } from '../../localcloud/startLocalCloud';
import { localCloudSettings } from '../../server/src/localCloudSettings';
import { openStore } from '../../server/src/store/openStore';
import { loginAs } from '../../testkit/apiClient';
import { postObject } from '../../testkit/postObject';
import { storeKinds } from '../../testkit/startStack';
import { freePort } from '../../testkit/freePort';
import { startApiChild } from '../../testkit/startApiChild';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

const startApiProcess = (env: NodeJS.ProcessEnv) => startApiChild(env);

const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));

describe.each(storeKinds())('SIGKILL during a commit (%s)', (kind) => {
  let dataDir: string;
  let cloud: LocalCloud;
  let env: NodeJS.ProcessEnv;
  let config: Config;
  let dropDatabase = async () => {};

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'album-crash-'));
    cloud = await startLocalCloud(localCloudSettings(loadConfig({ DATA_DIR: dataDir })), { ephemeralPorts: true });
    const port = (url: string) => new URL(url).port;
    env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      LOCAL_OSS_PORT: port(cloud.urls.oss),
      LOCAL_STS_PORT: port(cloud.urls.sts),
      LOCAL_WECHAT_PORT: port(cloud.urls.wechat),
      LOG_LEVEL: 'warn',
    };
    if (kind === 'postgres') {
      const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      const name = `album_crash_${randomBytes(5).toString('hex')}`;
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      env.DATABASE_URL = url.toString();
      dropDatabase = async () => {
        const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      };
    }
    config = loadConfig(env);
  });

  afterAll(async () => {
    await cloud.close();
    await dropDatabase();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('killed at several points of a 20-photo commit, the retried commit records each photo once', async () => {
    const files = Array.from({ length: 20 }, () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(2000)]));
    let api = await startApiProcess(env);
    const user = await loginAs(api.url, 'crash');
    const { family, album } = (await user.client.post('/families', { name: 'crash' })).body;
    const policy = (await user.client.get(`/families/oss/signature?family_id=${family.id}&album_id=${album.id}`)).body;
    for (const f of files) expect((await postObject(policy, `${policy.file_base_path}${md5(f)}.jpg`, f)).status).toBe(200);
    const batch = {
      data: files.map((f, i) => ({ album_id: album.id, family_id: family.id, file_name: `IMG_${i}.jpg`, object_key: `${policy.file_base_path}${md5(f)}.jpg`, file_type: 'image', file_size: f.length, hash_value: md5(f) })),
    };

    // A slow OSS stretches the commit (its HEADs) so the kill lands inside it, at a different point each time.
    cloud.oss.setFaults({ latencyMs: 40 });
    const observer = await openStore({ databaseUrl: config.databaseUrl, sqlitePath: path.join(dataDir, 'album.sqlite') });
    try {
      for (const killAfterMs of [5, 40, 90, 140, 200]) {
        const inFlight = fetch(`${api.url}/photos`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` }, body: JSON.stringify(batch) }).then(
          (r) => r.status,
          () => 'cut',
        );
        await new Promise((r) => setTimeout(r, killAfterMs));
        api.child.kill('SIGKILL');
        await exited(api.child);
        await inFlight;
        // All or nothing: a batch is one transaction.
        expect([0, files.length]).toContain((await observer.listPhotos(album.id, { limit: 100 })).length);
        api = await startApiProcess(env);
      }
      cloud.oss.setFaults({ latencyMs: 0 });
      const retried = await fetch(`${api.url}/photos`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` }, body: JSON.stringify(batch) });
      const body = (await retried.json()) as { failed: unknown[]; photos: unknown[] };
      expect(retried.status).toBe(200);
      expect(body.failed).toEqual([]);
      expect(body.photos).toHaveLength(files.length);
      const stored = await observer.listPhotos(album.id, { limit: 100 });
      expect(stored).toHaveLength(files.length);
      expect(new Set(stored.map((p) => p.hash))).toEqual(new Set(files.map(md5)));
      expect(await observer.findObjects(family.id, files.map(md5))).toHaveLength(files.length);
    } finally {
      api.child.kill('SIGKILL');
      await exited(api.child);
      await observer.close();
    }
  }, 60_000);
});
