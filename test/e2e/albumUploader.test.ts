/**
 * The album uploader end to end, driven by the unmodified miniprogram-automator client against the
 * real API and local cloud. On CI the app runs in the headless host (tools/automator-host);
 * `npm run e2e:devtools` runs these same specs in WeChat DevTools. One app session serves the
 * four specs, in order: the later ones build on what the first uploaded (each reLaunch costs the
 * client a fixed 3 s).
 */
import type { AlbumPhotoView, HashCheckResponse, ListFamiliesResponse, ListPhotosResponse } from '../../typings/api';
import { apiClient, loginAs } from '../../testkit/apiClient';
import { eventually } from './support/eventually';
import { logInAs } from './support/logInAs';
import { pickNext, stageMedia, type ChosenMedia } from './support/mediaFiles';
import type { MiniProgram } from './support/openMiniProgram';
import { useSharedApp } from './support/useSharedApp';

type Page = NonNullable<Awaited<ReturnType<MiniProgram['currentPage']>>>;
type Element = NonNullable<Awaited<ReturnType<Page['$']>>>;

const PAGE = '/pages/albumUploader/index';
const MB = 1024 * 1024;
/** Eight photos of about half a megabyte, each its own size. */
const FIRST_SIZES = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => 400_000 + i * 32_000);
const ALICE = 'e2e-alice';
const BOB = 'e2e-bob';

jest.setTimeout(90_000);

const app = useSharedApp(['chooseMedia', 'login']);

/** Opens the uploader afresh and waits until it shows the user's family, album and photos. */
async function openUploader(): Promise<Page> {
  const page = await app.miniProgram.reLaunch(PAGE);
  if (!page) throw new Error('reLaunch opened no page');
  await eventually(async () => (await page.data('albumId')) > 0 && !(await page.data('loadingPhotos')), 'the album to load');
  return page;
}

async function texts(page: Page, selector: string): Promise<string[]> {
  const elements: Element[] = await page.$$(selector);
  return Promise.all(elements.map((el) => el.text()));
}

/** Taps 从相册/相机选择 with `files` as the picker's answer; waits until they are listed. */
async function choose(page: Page, files: readonly ChosenMedia[], listed: number): Promise<void> {
  await pickNext(app.miniProgram, files);
  await (await page.$('.choose-media'))!.tap();
  await eventually(async () => (await page.$$('.file-item')).length === listed, `${listed} listed files`);
}

/** Taps `selector` and waits for the batch it starts to end; returns every total percent seen meanwhile. */
async function runBatch(page: Page, selector: string): Promise<number[]> {
  const seen: number[] = [];
  await (await page.$(selector))!.tap();
  await eventually(
    async () => {
      const data = await page.data();
      seen.push(data.totalPercent);
      return !data.uploading && data.summary !== null;
    },
    'the batch to finish',
    { intervalMs: 20, timeoutMs: 60_000 },
  );
  return seen;
}

async function albumPhotos(token: string, albumId: number) {
  return apiClient(app.cloud.apiUrl, token).get<ListPhotosResponse>(`/albums/${albumId}/photos?limit=100`);
}

describe('the album uploader, driven by miniprogram-automator', () => {
  let alice: { token: string };
  let aliceFamilyId: number;
  let aliceAlbumId: number;
  let firstFiles: ChosenMedia[];
  let firstPhotos: AlbumPhotoView[];

  test('1. choose real files, upload them with rising total progress, see the summary and the new photos in the album', async () => {
    await logInAs(app.miniProgram, app.cloud.apiUrl, ALICE);
    const page = await openUploader();
    alice = await loginAs(app.cloud.apiUrl, ALICE);
    aliceFamilyId = await page.data('familyId');
    aliceAlbumId = await page.data('albumId');
    const { body: families } = await apiClient(app.cloud.apiUrl, alice.token).get<ListFamiliesResponse>('/families');
    expect(families.families.map((f) => f.id)).toContain(aliceFamilyId);
    expect(await page.$$('.photo')).toHaveLength(0);

    firstFiles = await stageMedia(app.miniProgram, FIRST_SIZES.map((size, i) => ({ name: `e2e-first-${i}.jpg`, size, seed: i + 1 })));
    await choose(page, firstFiles, FIRST_SIZES.length);
    expect(await texts(page, '.file-state')).toEqual(FIRST_SIZES.map(() => '等待中'));

    // A slow uplink: with six uploads at a time, the later files start only as the first ones
    // finish, so the total climbs in steps whatever the sockets buffer.
    app.cloud.stack.cloud.oss.setFaults({ bytesPerSecTotal: 2 * MB });
    app.cloud.stack.cloud.oss.resetStats();
    let seen: number[];
    try {
      seen = await runBatch(page, '.upload-button');
    } finally {
      app.cloud.stack.cloud.oss.setFaults({ bytesPerSecTotal: 0 });
    }
    const intermediate = [...new Set(seen.filter((p) => p > 0 && p < 100))];
    expect(intermediate.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await page.data('totalPercent')).toBe(100);

    expect(await (await page.$('.summary'))!.text()).toBe('上传 8 个，秒传 0 个，失败 0 个');
    expect(await texts(page, '.file-state')).toEqual(FIRST_SIZES.map(() => '已上传'));
    await eventually(async () => (await page.$$('.photo')).length === 8, 'eight photos in the album grid');
    expect(app.cloud.stack.cloud.oss.stats().postObjects).toBe(8);

    const { body } = await albumPhotos(alice.token, aliceAlbumId);
    firstPhotos = body.photos;
    const bySize = (a: number, b: number) => a - b;
    expect(firstPhotos.map((p) => p.file_size).sort(bySize)).toEqual([...FIRST_SIZES].sort(bySize));
    expect((await page.data('photos')).map((p: { id: number }) => p.id).sort()).toEqual(firstPhotos.map((p) => p.id).sort());
  });

  test('2. the same files again: every item is instant and OSS receives no upload', async () => {
    const page = await openUploader();
    expect(await page.$$('.photo')).toHaveLength(8);
    app.cloud.stack.cloud.oss.resetStats();
    await choose(page, firstFiles, 8);
    await runBatch(page, '.upload-button');

    expect(await (await page.$('.summary'))!.text()).toBe('上传 0 个，秒传 8 个，失败 0 个');
    expect(await texts(page, '.file-state')).toEqual(FIRST_SIZES.map(() => '秒传'));
    expect((await page.data('items')).map((i: { state: string }) => i.state)).toEqual(FIRST_SIZES.map(() => 'instant'));
    expect(app.cloud.stack.cloud.oss.stats()).toMatchObject({ postObjects: 0, puts: 0, objectsWritten: 0 });
    const { body } = await albumPhotos(alice.token, aliceAlbumId);
    expect(body.photos.map((p) => p.id).sort()).toEqual(firstPhotos.map((p) => p.id).sort());
  });

  test('3. one upload fails: the page shows it, Retry brings it home, nothing is duplicated', async () => {
    const page = await openUploader();
    const files = await stageMedia(app.miniProgram, [
      { name: 'e2e-d.jpg', size: 300_000, seed: 4 },
      { name: 'e2e-e.jpg', size: 400_000, seed: 5 },
      { name: 'e2e-f.jpg', size: 500_000, seed: 6 },
    ]);
    await choose(page, files, 3);
    // The first upload to reach OSS is refused (403: not worth retrying); every later one goes through.
    let uploadsSeen = 0;
    app.cloud.stack.cloud.oss.setFaults({ failureRate: 1, failureStatus: 403, random: () => (uploadsSeen++ === 0 ? 0 : 1) });
    app.cloud.stack.cloud.oss.resetStats();
    try {
      await runBatch(page, '.upload-button');
      expect(await (await page.$('.summary'))!.text()).toBe('上传 2 个，秒传 0 个，失败 1 个');
      const states = await texts(page, '.file-state');
      expect(states.filter((s) => s === '已上传')).toHaveLength(2);
      expect(states.filter((s) => s.startsWith('失败'))).toHaveLength(1);
      expect(await page.$$('.retry-button')).toHaveLength(1);

      await runBatch(page, '.retry-button');
    } finally {
      app.cloud.stack.cloud.oss.setFaults({ failureRate: 0, failureStatus: 503, random: Math.random });
    }
    expect(await (await page.$('.summary'))!.text()).toBe('上传 1 个，秒传 0 个，失败 0 个');
    expect(await texts(page, '.file-state')).toEqual(['已上传', '已上传', '已上传']);
    expect(await page.$$('.retry-button')).toHaveLength(0);
    // Four uploads reached OSS (the refused one, sent again by Retry); three objects, none written twice.
    expect(uploadsSeen).toBe(4);
    expect(app.cloud.stack.cloud.oss.stats()).toMatchObject({ postObjects: 3, objectsWritten: 3 });

    await eventually(async () => (await page.$$('.photo')).length === 11, 'eleven photos in the album grid');
    const { body } = await albumPhotos(alice.token, aliceAlbumId);
    expect(body.photos).toHaveLength(11);
    expect(new Set(body.photos.map((p) => p.hash_value)).size).toBe(11);
  });

  test('4. a member of another family sees none of it, and gets no instant upload from it', async () => {
    await logInAs(app.miniProgram, app.cloud.apiUrl, BOB);
    const page = await openUploader();
    const bob = await loginAs(app.cloud.apiUrl, BOB);
    const bobFamilyId: number = await page.data('familyId');
    expect(bobFamilyId).not.toBe(aliceFamilyId);
    expect(await page.$$('.photo')).toHaveLength(0);
    expect(await (await page.$('.empty'))!.text()).toBe('还没有照片，选几张上传吧');

    const asBob = apiClient(app.cloud.apiUrl, bob.token);
    expect((await asBob.get(`/albums/${aliceAlbumId}/photos`)).status).toBe(404);
    const check = await asBob.post<HashCheckResponse>('/photos/hash/check', { family_id: bobFamilyId, hashes: firstPhotos.map((p) => p.hash_value) });
    expect(check.body.existing).toEqual([]);

    // The very bytes Alice's family has: Bob's family must upload them itself.
    app.cloud.stack.cloud.oss.resetStats();
    await choose(page, firstFiles, 8);
    await runBatch(page, '.upload-button');
    expect(await (await page.$('.summary'))!.text()).toBe('上传 8 个，秒传 0 个，失败 0 个');
    expect(app.cloud.stack.cloud.oss.stats().postObjects).toBe(8);
    await eventually(async () => (await page.$$('.photo')).length === 8, 'eight photos in Bob’s album');

    const { body } = await albumPhotos(alice.token, aliceAlbumId);
    expect(body.photos).toHaveLength(11);
  });
});
