/**
 * Uploads against a hostile network and expiring credentials, end to end: the Mini Program
 * utils over a Node wx, the real API and the local cloud.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequestAPI, RequestAPI } from '../../miniprogram/utils/request';
import { createSession } from '../../miniprogram/utils/session';
import type { SelectedFile } from '../../miniprogram/utils/types';
import { uploadFilesToOSS, UploaderDeps } from '../../miniprogram/utils/uploadFilesToOSS';
import type { CreateFamilyResponse } from '../../typings/api';
import { createNodeWx, NodeWx } from '../../testkit/nodeWx';
import { Stack, startStack } from '../../testkit/startStack';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function writePhotos(dir: string, count: number, prefix: string): Promise<SelectedFile[]> {
  const files: SelectedFile[] = [];
  for (let i = 0; i < count; i += 1) {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(20_000 + i * 500)]);
    const filePath = path.join(dir, `${prefix}_${i}.jpg`);
    await writeFile(filePath, bytes);
    files.push({ path: filePath, name: `${prefix}_${i}.jpg`, size: bytes.length, sizeKb: Math.ceil(bytes.length / 1024), time: 0, type: 'image', hash: md5(bytes) });
  }
  return files;
}

/** A seeded generator, so the faults land the same way on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('reliability', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'reliability-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function client(stack: Stack, name: string) {
    const wx = createNodeWx({ userName: name, defaultTimeoutMs: 5000 });
    const requestAPI = createRequestAPI({ baseUrl: stack.api.url, wx, session: createSession({ baseUrl: stack.api.url, wx }) });
    const { family, album } = await requestAPI<CreateFamilyResponse>({ method: 'POST', path: '/families', data: { name } });
    return { wx, requestAPI, familyId: family.id, albumId: album.id };
  }
  const fastDeps = (wx: NodeWx, requestAPI: RequestAPI, random = seeded(7)): UploaderDeps => ({ wx, requestAPI, now: () => Date.now(), random, sleep: () => Promise.resolve() });

  test('40 files through 500s, 503s, cut connections and stalls: each uploaded exactly once, retries bounded and counted', async () => {
    const stack = await startStack('sqlite');
    try {
      const { wx, requestAPI, familyId, albumId } = await client(stack, 'faults');
      const files = await writePhotos(dir, 40, 'fault');
      const random = seeded(42);
      stack.cloud.oss.setFaults({ failureRate: 0.1, cutRate: 0.05, stallRate: 0.04, random });

      // Count what the phone saw: every failed attempt is one retry the pipeline owes.
      let failedAttempts = 0;
      const seen = { status500: 0, status503: 0, timeout: 0, cut: 0 };
      const uploadFile = wx.uploadFile.bind(wx);
      wx.uploadFile = ((options: WechatMiniprogram.UploadFileOption) => {
        // Alternate the injected status so both 500 and 503 occur.
        stack.cloud.oss.setFaults({ failureStatus: wx.stats.uploadCalls % 2 ? 500 : 503 });
        return uploadFile({
          ...options,
          success: (r) => {
            if (r.statusCode >= 500) failedAttempts += 1;
            if (r.statusCode === 500) seen.status500 += 1;
            if (r.statusCode === 503) seen.status503 += 1;
            options.success?.(r);
          },
          fail: (e) => {
            failedAttempts += 1;
            if (/timeout/.test(e.errMsg)) seen.timeout += 1;
            else seen.cut += 1;
            options.fail?.(e);
          },
        });
      }) as typeof wx.uploadFile;

      // A stalled upload ends at the client's timeout (1 s here), then is retried like any network error.
      const results = await uploadFilesToOSS(files, { familyId, albumId, maxAttempts: 6, timeoutMs: 1000 }, fastDeps(wx, requestAPI));
      expect(results.map((r) => r.status)).toEqual(files.map(() => 'uploaded'));
      // Faults of both families happened: error answers, and connections that broke or hung.
      expect(failedAttempts).toBeGreaterThanOrEqual(3);
      expect(seen.status500 + seen.status503).toBeGreaterThanOrEqual(1);
      expect(seen.cut + seen.timeout).toBeGreaterThanOrEqual(1);
      expect(wx.stats.uploadCalls).toBe(files.length + failedAttempts); // one retry per failure, no more
      expect(stack.cloud.oss.stats().objectsWritten).toBe(files.length);
      const stored = await stack.store.listPhotos(albumId, { limit: 100 });
      expect(stored).toHaveLength(files.length);
      expect(new Set(stored.map((p) => p.hash))).toEqual(new Set(files.map((f) => f.hash)));
      wx.close();
    } finally {
      await stack.close();
    }
  }, 60_000);

  test('policy and STS credentials expire mid-batch: the batch completes and the user sees no failure', async () => {
    let offsetMs = 0;
    const now = () => new Date(Date.now() + offsetMs);
    // The shortest STS lifetime (900 s) and 5-minute policies; the test clock jumps 6 minutes at a time.
    const stack = await startStack('sqlite', { now, env: { STS_DURATION_SECONDS: '900', POLICY_TTL_SECONDS: '300', VIEW_URL_TTL_SECONDS: '300' } });
    try {
      const { wx, requestAPI, familyId, albumId } = await client(stack, 'expiry');
      const files = await writePhotos(dir, 16, 'expiry');
      const uploadFile = wx.uploadFile.bind(wx);
      let calls = 0;
      wx.uploadFile = ((options: WechatMiniprogram.UploadFileOption) => {
        calls += 1;
        // Three jumps of 6 minutes, before the 5th, 9th and 13th upload: 18 minutes in all.
        if ([5, 9, 13].includes(calls)) offsetMs += 6 * 60_000;
        return uploadFile(options);
      }) as typeof wx.uploadFile;

      const results = await uploadFilesToOSS(files, { familyId, albumId, concurrency: 2 }, fastDeps(wx, requestAPI));
      expect(results.map((r) => r.status)).toEqual(files.map(() => 'uploaded'));
      expect(offsetMs).toBe(18 * 60_000); // past the policies and the first STS credentials
      expect(stack.cloud.sts.stats().assumeRoleCalls).toBeGreaterThanOrEqual(2);
      expect(calls).toBeGreaterThan(files.length); // some uploads met an expired policy and were retried
      expect(await stack.store.listPhotos(albumId, { limit: 100 })).toHaveLength(files.length);
      wx.close();
    } finally {
      await stack.close();
    }
  }, 60_000);

  test('after a whole upload, the logs hold no token, secret, signature, policy or security token', async () => {
    const stack = await startStack('sqlite');
    try {
      const { wx, requestAPI, familyId, albumId } = await client(stack, 'secrets');
      const files = await writePhotos(dir, 3, 'secret');
      const signatures: string[] = [];
      const request = wx.request.bind(wx);
      wx.request = ((options: WechatMiniprogram.RequestOption) =>
        request({
          ...options,
          success: (r) => {
            const body = r.data as Record<string, unknown>;
            for (const field of ['token', 'policy', 'signature', 'security_token']) if (typeof body?.[field] === 'string') signatures.push(body[field] as string);
            options.success?.(r);
          },
        })) as typeof wx.request;
      const results = await uploadFilesToOSS(files, { familyId, albumId }, fastDeps(wx, requestAPI));
      expect(results.map((r) => r.status)).toEqual(['uploaded', 'uploaded', 'uploaded']);
      const listed = await requestAPI<{ photos: Array<{ url: string }> }>({ method: 'GET', path: `/albums/${albumId}/photos` });
      const urlSignatures = listed.photos.map((p) => new URL(p.url).searchParams.get('x-oss-signature')!);
      const credentials = await stack.api.deps.credentials.get();

      const secrets = [...signatures, ...urlSignatures, credentials.accessKeySecret, credentials.securityToken, stack.config.accessKey!.secret, stack.config.wechat.secret];
      expect(secrets.length).toBeGreaterThanOrEqual(8);
      const logs = stack.logs.join('');
      expect(logs.length).toBeGreaterThan(0);
      for (const secret of secrets) expect(logs).not.toContain(secret);
      wx.close();
    } finally {
      await stack.close();
    }
  });
});
