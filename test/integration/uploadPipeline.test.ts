import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { computeHash } from '../../miniprogram/utils/computeHash';
import { fromChooseMedia } from '../../miniprogram/utils/fileFilter';
import { createRequestAPI, RequestAPI } from '../../miniprogram/utils/request';
import { createSession } from '../../miniprogram/utils/session';
import type { BatchProgress, SelectedFile, UploadResult } from '../../miniprogram/utils/types';
import { uploadFilesToOSS } from '../../miniprogram/utils/uploadFilesToOSS';
import { MULTIPART } from '../../typings';
import type { CreateFamilyResponse, ListPhotosResponse } from '../../typings/api';
import { createNodeWx, NodeWx } from '../../testkit/nodeWx';
import { Stack, startStack } from '../../testkit/startStack';

const MB = 1024 * 1024;
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/** A JPEG header and random bytes: a distinct "photo" of `size` bytes. */
function jpeg(size: number): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
}

/** Writes `size` random bytes in 1 MB pieces (not one 50 MB buffer) and returns their md5. */
async function writeRandomFile(filePath: string, size: number): Promise<string> {
  const hash = createHash('md5');
  const out = createWriteStream(filePath);
  for (let written = 0; written < size; written += MB) {
    const piece = randomBytes(Math.min(MB, size - written));
    hash.update(piece);
    if (!out.write(piece)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return hash.digest('hex');
}

interface PickedFile {
  path: string;
  size: number;
  md5: string;
  fileType: 'image' | 'video';
}

/** What `wx.chooseMedia` would hand the page for these files, through the real filter. */
function pick(files: readonly PickedFile[]): SelectedFile[] {
  const result = {
    type: 'mix',
    errMsg: 'chooseMedia:ok',
    tempFiles: files.map((f) => ({ tempFilePath: f.path, size: f.size, fileType: f.fileType, duration: 0, height: 0, width: 0, thumbTempFilePath: '' })),
  } as unknown as WechatMiniprogram.ChooseMediaSuccessCallbackResult;
  const { accepted, rejected } = fromChooseMedia(result, { maxSizeBytes: 1024 * MB, now: () => Date.parse('2026-11-29T08:00:00Z') });
  expect(rejected).toEqual([]);
  expect(accepted.map((f) => f.hash)).toEqual(files.map(() => ''));
  return accepted;
}

describe('upload pipeline: utils + Node wx + API + local cloud', () => {
  let stack: Stack;
  let wx: NodeWx;
  let requestAPI: RequestAPI;
  let dir: string;
  let familyId: number;
  let albumId: number;
  let ossHost: string;
  const selection: PickedFile[] = [];

  const deps = () => ({ wx, requestAPI, now: () => Date.now(), random: Math.random, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) });

  async function upload(files: readonly SelectedFile[], onProgress?: (p: BatchProgress) => void, overrides: Partial<ReturnType<typeof deps>> = {}): Promise<UploadResult[]> {
    return uploadFilesToOSS(files, { familyId, albumId, onProgress }, { ...deps(), ...overrides });
  }

  beforeAll(async () => {
    stack = await startStack('sqlite');
    ossHost = new URL(stack.cloud.urls.oss).host;
    wx = createNodeWx({ userName: 'pipeline' });
    const session = createSession({ baseUrl: stack.api.url, wx });
    requestAPI = createRequestAPI({ baseUrl: stack.api.url, wx, session });
    // No token yet: the API's 401 makes requestAPI log in through wx.login and try again.
    const created = await requestAPI<CreateFamilyResponse>({ method: 'POST', path: '/families', data: { name: '上传测试' } });
    familyId = created.family.id;
    albumId = created.album.id;
    expect(wx.stats.loginCalls).toBe(1);

    dir = await mkdtemp(path.join(os.tmpdir(), 'pipeline-'));
    for (let i = 1; i <= 9; i++) {
      const bytes = jpeg(300 * 1024 + Math.floor(Math.random() * 1.7 * MB));
      const filePath = path.join(dir, `tmp_${i}.jpg`);
      await writeFile(filePath, bytes);
      selection.push({ path: filePath, size: bytes.length, md5: md5(bytes), fileType: 'image' });
    }
    const videoPath = path.join(dir, 'tmp_video.mp4');
    selection.push({ path: videoPath, size: 50 * MB, md5: await writeRandomFile(videoPath, 50 * MB), fileType: 'video' });
  }, 30_000);

  afterAll(async () => {
    wx?.close();
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('(a) 9 photos and a 50 MB video upload, with progress that only grows, and come back byte for byte', async () => {
    const files = pick(selection);
    const progress: BatchProgress[] = [];
    const results = await upload(files, (p) => progress.push(p));

    expect(results.map((r) => r.status)).toEqual(selection.map(() => 'uploaded'));
    results.forEach((r, i) => {
      expect(r.file.path).toBe(selection[i].path);
      if (r.status === 'failed') return;
      expect(r.photo.hash_value).toBe(selection[i].md5);
      expect(r.photo.file_size).toBe(selection[i].size);
      expect(r.photo.object_key).toBe(`families/${familyId}/${selection[i].md5}.${selection[i].fileType === 'video' ? 'mp4' : 'jpg'}`);
    });

    expect(progress.length).toBeGreaterThan(10);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].percent).toBeGreaterThanOrEqual(progress[i - 1].percent);
      expect(progress[i].bytesSent).toBeGreaterThanOrEqual(progress[i - 1].bytesSent);
      progress[i].files.forEach((f, j) => expect(f.percent).toBeGreaterThanOrEqual(progress[i - 1].files[j].percent));
    }
    const last = progress[progress.length - 1];
    expect(last.percent).toBe(100);
    expect(last.files.map((f) => [f.state, f.percent])).toEqual(selection.map(() => ['uploaded', 100]));

    // Every file crossed the wire once, straight to OSS; the API carried no file bytes. The photos
    // went as PostObjects, the video (over the multipart threshold) in 4 MiB parts.
    const videoParts = Math.ceil((50 * MB) / MULTIPART.defaultPartBytes);
    const totalBytes = selection.reduce((sum, f) => sum + f.size, 0);
    expect(stack.cloud.oss.stats().bytesReceived).toBe(totalBytes);
    expect(stack.cloud.oss.stats().postObjects).toBe(9);
    expect(stack.cloud.oss.stats().uploadParts).toBe(videoParts);
    expect(wx.stats.uploadCalls).toBe(9);
    expect(wx.stats.byHost[ossHost]).toMatchObject({ uploadCalls: 9, requestCalls: videoParts });
    expect(wx.stats.maxInFlight).toBeLessThanOrEqual(10);
    // Hashed natively (the digest answered an MD5): one getFileInfo per file; the only reads in JS are the video's parts, one each.
    expect([wx.stats.getFileInfoCalls, wx.stats.readFileCalls, wx.stats.readCalls]).toEqual([10, 0, videoParts]);
    expect(wx.stats.openDescriptors).toBe(0);

    const listed = await requestAPI<ListPhotosResponse>({ method: 'GET', path: `/albums/${albumId}/photos`, query: { limit: 50 } });
    expect(listed.photos.map((p) => p.hash_value).sort()).toEqual(selection.map((f) => f.md5).sort());
    const video = listed.photos.find((p) => p.file_type === 'video')!;
    const photo = listed.photos.find((p) => p.hash_value === selection[0].md5)!;
    const [videoAnswer, photoAnswer] = await Promise.all([video, photo].map((p) => fetch(p.url)));
    expect([videoAnswer.status, videoAnswer.headers.get('content-type')]).toEqual([200, 'video/mp4']);
    expect([photoAnswer.status, photoAnswer.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    const [videoBytes, photoBytes] = await Promise.all([videoAnswer, photoAnswer].map(async (a) => Buffer.from(await a.arrayBuffer())));
    expect(videoBytes.length).toBe(50 * MB);
    expect(md5(videoBytes)).toBe(selection[9].md5);
    expect(photoBytes.equals(await readFile(selection[0].path))).toBe(true);
  }, 30_000);

  test('(b) the same selection again is all instant: nothing is uploaded', async () => {
    stack.cloud.oss.resetStats();
    wx.resetStats();
    const results = await upload(pick(selection));

    expect(results.map((r) => r.status)).toEqual(selection.map(() => 'instant'));
    results.forEach((r, i) => r.status !== 'failed' && expect(r.photo.hash_value).toBe(selection[i].md5));
    expect(wx.stats.uploadCalls).toBe(0);
    expect(wx.stats.uploadBytes).toBe(0);
    expect(stack.cloud.oss.stats().bytesReceived).toBe(0);
    expect(stack.cloud.oss.stats().postObjects).toBe(0);
  });

  test('(c) a file whose upload fails twice with 503 still lands, on the third attempt', async () => {
    const bytes = jpeg(700 * 1024);
    const filePath = path.join(dir, 'tmp_flaky.jpg');
    await writeFile(filePath, bytes);
    stack.cloud.oss.resetStats();
    wx.resetStats();
    // failureRate 1 fails an upload while random() < 1: the first two draws do, then none.
    let draws = 0;
    stack.cloud.oss.setFaults({ failureRate: 1, failureStatus: 503, random: () => (draws++ < 2 ? 0 : 1) });
    try {
      const [result] = await upload(pick([{ path: filePath, size: bytes.length, md5: md5(bytes), fileType: 'image' }]));
      expect(result.status).toBe('uploaded');
      if (result.status === 'uploaded') expect(result.photo.hash_value).toBe(md5(bytes));
    } finally {
      stack.cloud.oss.setFaults({ failureRate: 0, random: Math.random });
    }
    expect(draws).toBe(3);
    expect(wx.stats.uploadCalls).toBe(3);
    expect(stack.cloud.oss.stats().objectsWritten).toBe(1);
    expect(stack.cloud.oss.stats().bytesReceived).toBe(bytes.length);
  });

  test('(d) the spark-md5 fallback gives the native hashes, and the selection is still instant with it', async () => {
    // A client whose getFileInfo knows no digestAlgorithm: asked once, then open + read for every file.
    const oldWx = createNodeWx({ userName: 'pipeline', withoutNativeDigest: true });
    const veryOldWx = createNodeWx({ userName: 'pipeline', withoutNativeDigest: true, withoutDescriptors: true });
    try {
      const files = selection.map((f) => ({ path: f.path, size: f.size }));
      const hashAll = (client: typeof wx) => {
        const nativeDigest = {};
        return Promise.all(files.map((f) => computeHash(f, { wx: client, nativeDigest })));
      };
      const [native, fallback, rangeFallback] = await Promise.all([hashAll(wx), hashAll(oldWx), hashAll(veryOldWx)]);
      expect(native).toEqual(selection.map((f) => f.md5));
      expect(fallback).toEqual(native);
      expect(rangeFallback).toEqual(native);
      const bytes = selection.reduce((sum, f) => sum + f.size, 0);
      // Reads of at most 4 MB (the 50 MB video alone takes at least 13), every descriptor closed.
      expect(oldWx.stats.readCalls).toBeGreaterThanOrEqual(13 + 9);
      expect([oldWx.stats.readBytes, oldWx.stats.openCalls, oldWx.stats.closeCalls, oldWx.stats.openDescriptors, oldWx.stats.readFileCalls]).toEqual([bytes, 10, 10, 0, 0]);
      // Without open/read: readFile's range reads.
      expect([veryOldWx.stats.readFileBytes, veryOldWx.stats.openCalls]).toEqual([bytes, 0]);
      expect(veryOldWx.stats.readFileCalls).toBeGreaterThanOrEqual(13 + 9);

      stack.cloud.oss.resetStats();
      const session = createSession({ baseUrl: stack.api.url, wx: oldWx });
      const results = await upload(pick(selection), undefined, { wx: oldWx, requestAPI: createRequestAPI({ baseUrl: stack.api.url, wx: oldWx, session }) });
      expect(results.map((r) => r.status)).toEqual(selection.map(() => 'instant'));
      expect(oldWx.stats.uploadCalls).toBe(0);
      expect(stack.cloud.oss.stats().bytesReceived).toBe(0);
    } finally {
      oldWx.close();
      veryOldWx.close();
    }
  });
});
