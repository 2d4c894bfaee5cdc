/**
 * Issue 14's resumable multipart upload end to end, through the unmodified miniprogram-automator
 * client, the real API and local cloud: a 30 MB video starts, the OSS emulator's link goes down
 * mid-way and the person closes the app; relaunched (storage kept, the picked file gone), the page
 * lists the unfinished upload, choosing the same video again sends only the parts OSS lacks, and
 * the video plays from its presigned URL with the very bytes chosen.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MULTIPART } from '../../typings';
import type { ListPhotosResponse } from '../../typings/api';
import type { ListUploadedPartsResponse, MultipartUploadView, StartMultipartRequest } from '../../typings/multipart';
import { DEFAULT_UPLOAD_CONCURRENCY } from '../../miniprogram/utils/uploadFilesToOSS';
import { apiClient, loginAs } from '../../testkit/apiClient';
import { e2eTarget, type E2eTarget } from './support/e2eTarget';
import { eventually } from './support/eventually';
import { logInAs } from './support/logInAs';
import { mediaBytes, pickNext, stageMedia, type ChosenMedia, type MediaSpec } from './support/mediaFiles';
import { openMiniProgram, type MiniProgram } from './support/openMiniProgram';
import { startE2eStack, type E2eStack } from './support/startE2eStack';

type Page = NonNullable<Awaited<ReturnType<MiniProgram['currentPage']>>>;

const MB = 1024 * 1024;
const VIDEO: MediaSpec = { name: 'e2e-video.mp4', size: 30 * MB, seed: 1401, kind: 'video' };
const PARTS = Math.ceil(VIDEO.size / MULTIPART.defaultPartBytes);
if (DEFAULT_UPLOAD_CONCURRENCY * MULTIPART.defaultPartBytes + 2 * MB >= VIDEO.size) throw new Error('the spec needs a video larger than the parts in flight');
/**
 * Where the link goes down: past what the parts in flight can hold unfinished (so at least one part
 * has landed whole, however the link was shared) and short of the whole video (so one is missing).
 */
const LINK_DOWN_AFTER_BYTES = DEFAULT_UPLOAD_CONCURRENCY * MULTIPART.defaultPartBytes + 2 * MB;
const ALICE = 'e2e-video-alice';
/** Where the spec's mock of wx.previewMedia leaves what it was asked to play. */
const PREVIEWED_KEY = 'e2e_previewed_media';

jest.setTimeout(120_000);

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

/** Resolves once the OSS emulator has seen no new request for `ms`. */
async function ossQuietFor(ms: number): Promise<void> {
  for (let seen = -1; seen !== cloud.stack.cloud.oss.stats().requests; ) {
    seen = cloud.stack.cloud.oss.stats().requests;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

let target: E2eTarget;
let cloud: E2eStack;
let storageDir: string;
let miniProgram: MiniProgram | undefined;

beforeAll(async () => {
  target = e2eTarget(process.env);
  if (target.kind === 'connect') throw new Error('this spec closes and relaunches the app: run it with automator.launch (headless, or E2E_TARGET=devtools), not E2E_WS_ENDPOINT');
  cloud = await startE2eStack(target);
  storageDir = await mkdtemp(path.join(tmpdir(), 'e2e-video-storage-'));
}, 60_000);

afterAll(async () => {
  for (const method of ['chooseMedia', 'login', 'previewMedia']) await miniProgram?.restoreWxMethod(method).catch(() => undefined);
  await miniProgram?.callWxMethod('removeStorageSync', PREVIEWED_KEY).catch(() => undefined);
  await miniProgram?.close().catch(() => undefined);
  await cloud?.close();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
}, 30_000);

/** Launches the app with the one storage both runs share (the headless host's file; DevTools' project storage). */
function launch(): Promise<MiniProgram> {
  return openMiniProgram(target, { apiUrl: cloud.apiUrl, storageFile: path.join(storageDir, 'wx-storage.json') });
}

const uploaderReady = async (page: Page) => (await page.data('albumId')) > 0 && !(await page.data('loadingPhotos'));

/** The uploader the app opened on launch, once it shows the family, album and photos. */
async function launchedUploader(app: MiniProgram): Promise<Page> {
  return eventually(async () => {
    const page = await app.currentPage();
    return page?.path === 'pages/albumUploader/index' && (await uploaderReady(page)) ? page : undefined;
  }, 'the uploader to load');
}

async function choose(app: MiniProgram, page: Page, files: readonly ChosenMedia[]): Promise<void> {
  await pickNext(app, files);
  await (await page.$('.choose-media'))!.tap();
  await eventually(async () => (await page.$$('.file-item')).length === files.length, 'the picked video listed');
}

async function texts(page: Page, selector: string): Promise<string[]> {
  return Promise.all((await page.$$(selector)).map((el: { text(): Promise<string> }) => el.text()));
}

test('a 30 MB video cut off mid-way resumes after a relaunch, each part sent once, and plays with its bytes', async () => {
  const bytes = mediaBytes(VIDEO);
  const hash = md5(bytes);
  const oss = cloud.stack.cloud.oss;

  // First run: Alice picks the video and starts; the link goes down two thirds in.
  miniProgram = await launch();
  await logInAs(miniProgram, cloud.apiUrl, ALICE);
  // The next call logs in as Alice: a reLaunch makes it.
  await miniProgram.reLaunch('/pages/albumUploader/index');
  let page = await launchedUploader(miniProgram);
  const familyId: number = await page.data('familyId');
  const albumId: number = await page.data('albumId');
  const first = await stageMedia(miniProgram, [VIDEO]);
  await choose(miniProgram, page, first);
  expect(await texts(page, '.thumb-placeholder')).toEqual(['视频']);

  oss.resetStats();
  oss.setFaults({ linkDownAfterBytes: LINK_DOWN_AFTER_BYTES });
  try {
    await (await page.$('.upload-button'))!.tap();
    // (A failure before the cut ends the wait too, to be reported below rather than timed out.)
    await eventually(async () => oss.stats().uploadsCut > 0 || (await page.data('items'))[0].state === 'failed', 'the link to go down', { timeoutMs: 60_000 });
    expect((await page.data('items'))[0]).toMatchObject({ reason: '', state: 'uploading' });
    // The page keeps the video going (its parts retry, then wait for the network), part way done.
    const item = await eventually(async () => {
      const [shown] = await page.data('items');
      return shown.state === 'uploading' && shown.percent > 0 && shown.percent < 100 ? shown : undefined;
    }, 'the video shown part way');
    expect(item.stateText).toBe(`上传中 ${item.percent}%`);
    expect(await page.data('uploading')).toBe(true);

    // Alice gives up and closes the app mid-retry: a killed app runs no more code.
    await miniProgram.close();
    miniProgram = undefined;
    // A part PUT the app sent as it died may still reach OSS: with the link still down it is cut,
    // rather than landing after the parts held are read (or being counted as the next run's).
    await ossQuietFor(1_000);
  } finally {
    oss.setFaults({ linkDownAfterBytes: 0 });
  }
  const firstRun = oss.stats();
  expect(firstRun.postObjects).toBe(0);
  expect(firstRun.bytesReceived).toBeLessThanOrEqual(LINK_DOWN_AFTER_BYTES);

  // OSS still holds the unfinished upload (the server answers the same upload: 200, not a new 201),
  // with some parts whole and some missing.
  const alice = apiClient(cloud.apiUrl, (await loginAs(cloud.apiUrl, ALICE)).token);
  const resumeRequest: StartMultipartRequest = { family_id: familyId, album_id: albumId, hash, size: VIDEO.size, file_name: 'e2e-video.mp4', file_type: 'video' };
  const resumed = await alice.post<MultipartUploadView>('/uploads/multipart', resumeRequest);
  expect(resumed.status).toBe(200);
  expect(resumed.body.part_count).toBe(PARTS);
  const held = (await alice.get<ListUploadedPartsResponse>(`/uploads/multipart/${resumed.body.upload_id}`)).body.parts;
  expect(held.length).toBeGreaterThan(0);
  expect(held.length).toBeLessThan(PARTS);
  const heldBytes = held.reduce((sum, p) => sum + p.size, 0);
  expect(firstRun.bytesReceived).toBeGreaterThanOrEqual(heldBytes);

  // Relaunch: the same storage (and session), none of the first run's files.
  oss.resetStats();
  miniProgram = await launch();
  page = await launchedUploader(miniProgram);
  expect(await page.data('familyId')).toBe(familyId);
  const unfinished: Array<{ hash: string; name: string; percent: number; progressText: string }> = await page.data('unfinished');
  expect(unfinished.map((u) => u.hash)).toContain(hash);
  const listed = unfinished.find((u) => u.hash === hash)!;
  expect(listed.percent).toBeGreaterThan(0);
  expect(listed.percent).toBeLessThan(100);
  expect(await texts(page, '.unfinished-title')).toEqual(['未完成的上传']);
  expect(await texts(page, '.unfinished-item .file-name')).toContain(listed.name);
  expect(await texts(page, '.unfinished-progress')).toContain(`已传 ${listed.percent}%，重新选择这个视频即可继续`);

  // Alice chooses the same video again (a new temp file, the same bytes) and uploads it.
  const again = await stageMedia(miniProgram, [{ ...VIDEO, name: 'e2e-video-again.mp4' }]);
  expect(again[0].tempFilePath).not.toBe(first[0].tempFilePath);
  await choose(miniProgram, page, again);
  await (await page.$('.upload-button'))!.tap();
  await eventually(async () => !(await page.data('uploading')) && (await page.data('summary')) !== null, 'the resumed upload to finish', { timeoutMs: 60_000 });
  expect(await (await page.$('.summary'))!.text()).toBe('上传 1 个，秒传 0 个，失败 0 个');
  expect(await texts(page, '.file-state')).toEqual(['已上传']);
  expect((await page.data('unfinished')).map((u: { hash: string }) => u.hash)).not.toContain(hash);

  // Only the parts OSS lacked went, each once: together with the first run, each part's bytes
  // arrived once, plus at most the parts in flight when the link went down.
  const secondRun = oss.stats();
  expect(secondRun.uploadParts).toBe(PARTS - held.length);
  expect(secondRun.bytesReceived).toBe(VIDEO.size - heldBytes);
  expect(secondRun.uploadsCut).toBe(0);
  expect(secondRun.postObjects).toBe(0);
  expect(firstRun.bytesReceived + secondRun.bytesReceived).toBeLessThanOrEqual(VIDEO.size + DEFAULT_UPLOAD_CONCURRENCY * MULTIPART.defaultPartBytes);

  // The album shows the video; the API lists it with the chosen bytes' hash.
  await eventually(async () => (await page.$$('.photo')).length === 1, 'the video in the album grid');
  expect(await texts(page, '.photo-badge')).toEqual(['视频']);
  const { body } = await alice.get<ListPhotosResponse>(`/albums/${albumId}/photos?limit=100`);
  expect(body.photos).toHaveLength(1);
  expect(body.photos[0]).toMatchObject({ hash_value: hash, file_size: VIDEO.size, file_type: 'video' });

  // Tapping it plays it: the URL the app hands the player serves the very bytes chosen.
  await miniProgram.mockWxMethod(
    'previewMedia',
    `function (options) { wx.setStorageSync('${PREVIEWED_KEY}', options.sources); return { errMsg: 'previewMedia:ok' }; }`,
  );
  await (await page.$('.photo'))!.tap();
  const sources = await eventually(async () => ((await miniProgram!.callWxMethod('getStorageSync', PREVIEWED_KEY)) as Array<{ url: string; type: string }>) || undefined, 'the video to be played');
  expect(sources).toEqual([{ url: expect.stringMatching(/^http/), type: 'video' }]);
  for (const url of [sources[0].url, body.photos[0].url]) {
    const served = await fetch(url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^video\//);
    expect(md5(new Uint8Array(await served.arrayBuffer()))).toBe(hash);
  }
});
