import type { AlbumPhotoView, AlbumView, FamilyView } from '../../typings/api';
import { buildPageTree, type PageTree } from '../../testkit/buildPageTree';
import { createFakeCloud, type FakeCloud, type FakeFile, type FakeUpload } from '../../testkit/createFakeCloud';
import { attr, renderPage, text, texts, waitFor, type RenderedNode } from '../../testkit/simulatePage';

const PAGE = 'pages/albumUploader/index';

const md5 = (n: number) => n.toString(16).padStart(32, '0');
const file = (name: string, n: number, size = 1000): FakeFile => ({ path: `wxfile://tmp/${name}`, size, md5: md5(n) });
const mediaFile = (f: FakeFile, fileType: 'image' | 'video' = 'image', thumbTempFilePath = '') => ({
  tempFilePath: f.path,
  size: f.size,
  fileType,
  thumbTempFilePath,
  duration: 0,
  height: 100,
  width: 100,
});

const family: FamilyView = { id: 1, name: '张家', role: 'owner' };
const album = (id: number, name: string, isDefault: boolean): AlbumView => ({ id, family_id: 1, name, is_default: isDefault, created_at: '' });
const photo = (id: number, albumId: number, hash = md5(10_000 + id), size = 1000): AlbumPhotoView => {
  const key = `families/1/${hash}.jpg`;
  return {
    id,
    album_id: albumId,
    family_id: 1,
    file_name: `p${id}.jpg`,
    file_type: 'image',
    file_size: size,
    hash_value: hash,
    object_key: key,
    creator_id: 1,
    upload_time: '',
    created_at: '',
    url: `https://oss.test/${key}`,
    thumbnail_url: `https://oss.test/${key}?thumb`,
    url_expires_at: '',
    uploaded_by: { id: 1, nickname: null, avatar_url: null },
  };
};

let tree: PageTree;
beforeAll(() => {
  tree = buildPageTree();
});
afterAll(() => tree.remove());
afterEach(() => jest.restoreAllMocks());

/** Renders the page over `cloud` and runs `onLoad` to the end (family, album, first photos). */
async function open(cloud: FakeCloud): Promise<RenderedNode> {
  Object.assign(wx, cloud.wx);
  const page = renderPage(tree, PAGE);
  await page.instance.onLoad({});
  return page;
}

/** The picker hands these to the page on the next tap of 从相册/相机选择. */
function pickMedia(tempFiles: ReturnType<typeof mediaFile>[]) {
  const calls: Record<string, unknown>[] = [];
  Object.assign(wx, {
    chooseMedia: (o: Record<string, any>) => {
      calls.push(o);
      setTimeout(() => o.success({ tempFiles, type: 'mix', errMsg: 'chooseMedia:ok' }), 0);
    },
  });
  return calls;
}

const items = (page: RenderedNode) => page.querySelectorAll('.file-item');
const states = (page: RenderedNode) => texts(page.querySelectorAll('.file-state'));
const totalPercent = (page: RenderedNode) => attr(page.querySelector('.total-progress'), 'percent');

async function chooseAndList(page: RenderedNode, count: number) {
  page.querySelector('.choose-media')!.dispatchEvent('tap');
  await waitFor(() => items(page).length === count, `${count} listed files`);
}

describe('loading', () => {
  test('a user without a family gets one, with its default album preselected', async () => {
    const cloud = createFakeCloud();
    const page = await open(cloud);

    // No token yet: the API client logs in before its first call.
    expect(cloud.requests).toEqual(['POST /auth/login', 'GET /families', 'POST /families', 'GET /families/1/albums', 'GET /albums/101/photos']);
    expect(page.data).toMatchObject({ familyId: 1, albumId: 101, photos: [], nextCursor: null, items: [], uploading: false, summary: null });
    expect(text(page.querySelector('.family-picker'))).toContain('我的家庭');
    expect(text(page.querySelector('.album-picker'))).toContain('家庭相册');
    expect(page.querySelectorAll('.photo')).toHaveLength(0);
    expect(text(page.querySelector('.empty'))).toContain('还没有照片');
    expect(attr(page.querySelector('.upload-button'), 'disabled')).toBe(true);
  });

  test('the album grid shows the newest photos first and pages with 加载更多; switching album reloads it', async () => {
    const photos = [...Array.from({ length: 35 }, (_, i) => photo(i + 1, 102)), photo(90, 101), photo(91, 101)];
    const cloud = createFakeCloud({ families: [family], albums: [album(101, '旅行', false), album(102, '家庭相册', true)], photos });
    const page = await open(cloud);

    expect(cloud.requests).not.toContain('POST /families');
    expect(page.data).toMatchObject({ familyId: 1, albumId: 102, albumIndex: 1, nextCursor: '6' });
    expect(text(page.querySelector('.album-picker'))).toContain('家庭相册');
    const grid = page.querySelectorAll('.photo-grid .photo-image');
    expect(grid).toHaveLength(30);
    expect(attr(grid[0], 'src')).toBe(photo(35, 102).thumbnail_url);
    expect(attr(grid[29], 'src')).toBe(photo(6, 102).thumbnail_url);

    page.querySelector('.load-more')!.dispatchEvent('tap');
    await waitFor(() => page.querySelectorAll('.photo').length === 35, '35 photos');
    expect(attr(page.querySelectorAll('.photo-image')[34], 'src')).toBe(photo(1, 102).thumbnail_url);
    expect(page.data.nextCursor).toBeNull();
    expect(page.querySelector('.load-more')).toBeUndefined();

    page.querySelector('.album-picker')!.dispatchEvent('change', { detail: { value: '0' } });
    await waitFor(() => page.data.albumId === 101 && page.querySelectorAll('.photo').length === 2, 'the other album');
    expect(page.data.photos.map((p: AlbumPhotoView) => p.id)).toEqual([91, 90]);
  });
});

describe('choosing files', () => {
  test('picked files are listed with thumbnail, name, size and state; unsupported ones with their reason', async () => {
    const a = file('a.jpg', 1, 2048);
    const v = file('v.mp4', 2, 5 * 1024 * 1024);
    const cloud = createFakeCloud({ families: [family], albums: [album(101, '家庭相册', true)] });
    const page = await open(cloud);

    // Backing out of the picker is not an error.
    Object.assign(wx, { chooseMedia: (o: Record<string, any>) => setTimeout(() => o.fail({ errMsg: 'chooseMedia:fail cancel' }), 0) });
    page.querySelector('.choose-media')!.dispatchEvent('tap');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(items(page)).toHaveLength(0);
    expect(page.querySelector('.error')).toBeUndefined();

    const calls = pickMedia([mediaFile(a), mediaFile(v, 'video', 'wxfile://tmp/v-cover.jpg'), mediaFile(file('scan.bmp', 3))]);
    await chooseAndList(page, 2);
    // Camera videos may run 60 s, chooseMedia's most (its default stops them at 10 s).
    expect(calls[0]).toMatchObject({ count: 20, mediaType: ['image', 'video'], sourceType: ['album', 'camera'], sizeType: ['original'], maxDuration: 60 });

    const names = texts(page.querySelectorAll('.file-name'));
    expect(names[0]).toMatch(/^IMG_\d{8}_\d{6}_\d+\.jpg$/);
    expect(names[1]).toMatch(/^VID_\d{8}_\d{6}_\d+\.mp4$/);
    expect(texts(page.querySelectorAll('.file-size'))).toEqual(['2.0 KB', '5.0 MB']);
    expect(states(page)).toEqual(['等待中', '等待中']);
    expect(items(page).map((i) => i.dom.getAttribute('data-state'))).toEqual(['waiting', 'waiting']);
    expect(page.querySelectorAll('.thumb').map((t) => attr(t, 'src'))).toEqual([a.path, 'wxfile://tmp/v-cover.jpg']);
    expect(text(page.querySelector('.rejected-item'))).toBe('scan.bmp：不支持的文件类型');
    expect(page.data.rejected).toEqual([{ key: expect.stringMatching(/^r\d+$/), name: 'scan.bmp', reason: '不支持的文件类型' }]);
    expect(attr(page.querySelector('.upload-button'), 'disabled')).toBe(false);

    const chatCalls: Record<string, unknown>[] = [];
    Object.assign(wx, {
      chooseMessageFile: (o: Record<string, any>) => {
        chatCalls.push(o);
        setTimeout(() => o.success({ tempFiles: [{ path: 'wxfile://tmp/chat-1', name: '家庭聚会.png', size: 3000, type: 'image', time: 1_700_000_000 }], errMsg: 'ok' }), 0);
      },
    });
    page.querySelector('.choose-chat')!.dispatchEvent('tap');
    await waitFor(() => items(page).length === 3, 'the chat file');
    expect(chatCalls[0]).toMatchObject({ count: 20, type: 'all' });
    expect(texts(page.querySelectorAll('.file-name'))[2]).toBe('家庭聚会.png');
    expect(page.data.items.map((i: { name: string; state: string; percent: number; reason: string }) => [i.state, i.percent, i.reason])).toEqual([
      ['waiting', 0, ''],
      ['waiting', 0, ''],
      ['waiting', 0, ''],
    ]);
  });
});

describe('uploading', () => {
  test('progress rises through intermediate values while the button is disabled, then the summary shows', async () => {
    let clock = Date.parse('2024-05-01T08:00:00Z');
    // The uploader throttles byte updates by this clock; each step below is a second later.
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    const known = file('known.jpg', 1);
    const fresh = file('fresh.jpg', 2);
    const cloud = createFakeCloud({ families: [family], albums: [album(101, '家庭相册', true)], photos: [photo(500, 101, known.md5)], files: [known, fresh] });
    const page = await open(cloud);
    pickMedia([mediaFile(known), mediaFile(fresh)]);
    await chooseAndList(page, 2);
    expect(attr(page.querySelector('.upload-button'), 'disabled')).toBe(false);
    expect(page.querySelector('.cancel-button')).toBeUndefined();

    page.querySelector('.upload-button')!.dispatchEvent('tap');
    const upload = await waitFor(() => cloud.uploads[0], 'the upload to start');
    // The known file is 秒传: only the new one goes to OSS.
    expect(upload.key).toBe(`families/1/${fresh.md5}.jpg`);
    expect(page.data.uploading).toBe(true);
    expect(attr(page.querySelector('.upload-button'), 'disabled')).toBe(true);
    expect(page.querySelector('.cancel-button')).toBeDefined();
    expect(page.querySelector('.retry-button')).toBeUndefined();

    const seen: unknown[] = [totalPercent(page)];
    for (const percent of [30, 70]) {
      clock += 1000;
      upload.progress(percent);
      await waitFor(() => totalPercent(page) !== seen[seen.length - 1], `the total after ${percent}%`);
      seen.push(totalPercent(page));
      expect(states(page)[1]).toBe(`上传中 ${percent}%`);
      expect(page.data.items[1]).toMatchObject({ state: 'uploading', percent });
    }
    upload.succeed();
    await waitFor(() => page.querySelector('.summary'), 'the summary');
    seen.push(totalPercent(page));

    expect(seen).toEqual([50, 65, 85, 100]);
    expect(text(page.querySelector('.summary'))).toBe('上传 1 个，秒传 1 个，失败 0 个');
    expect(page.data).toMatchObject({ uploading: false, totalPercent: 100, summary: { uploaded: 1, instant: 1, failed: 0 } });
    expect(states(page)).toEqual(['秒传', '已上传']);
    expect(items(page).map((i) => i.dom.getAttribute('data-state'))).toEqual(['instant', 'uploaded']);
    expect(page.querySelectorAll('.file-progress').map((p) => attr(p, 'percent'))).toEqual([100, 100]);
    expect(page.querySelector('.cancel-button')).toBeUndefined();

    // The grid is reloaded: the new photo first, the known one (already in the album) after it.
    await waitFor(() => page.querySelectorAll('.photo').length === 2, 'the committed photo in the grid');
    const newest = cloud.photos.find((p) => p.hash_value === fresh.md5)!;
    expect(page.querySelectorAll('.photo-image').map((p) => attr(p, 'src'))).toEqual([newest.thumbnail_url, photo(500, 101, known.md5).thumbnail_url]);
  });

  test('a refused file shows 失败 with the reason, and 重试失败 uploads only that file', async () => {
    const refused = file('refused.jpg', 1);
    const fine = file('fine.png', 2);
    const cloud = createFakeCloud({ families: [family], albums: [album(101, '家庭相册', true)], files: [refused, fine] });
    let refusals = 0;
    // 403 AccessDenied is not retryable: the file fails at once.
    cloud.autoUpload((u: FakeUpload) => (u.filePath === refused.path && refusals++ === 0 ? u.refuse(403, 'AccessDenied', 'Simulated denial') : u.succeed()));
    const page = await open(cloud);
    pickMedia([mediaFile(refused), mediaFile(fine)]);
    await chooseAndList(page, 2);

    page.querySelector('.upload-button')!.dispatchEvent('tap');
    await waitFor(() => page.querySelector('.summary'), 'the first summary');
    expect(text(page.querySelector('.summary'))).toBe('上传 1 个，秒传 0 个，失败 1 个');
    expect(states(page)[0]).toBe('失败：Simulated denial');
    expect(states(page)[1]).toBe('已上传');
    expect(items(page)[0].dom.getAttribute('data-state')).toBe('failed');
    expect(page.data.items[0]).toMatchObject({ state: 'failed', reason: 'Simulated denial' });
    expect(page.data.failedCount).toBe(1);
    await waitFor(() => page.querySelectorAll('.photo').length === 1, 'the uploaded photo');

    page.querySelector('.retry-button')!.dispatchEvent('tap');
    await waitFor(() => text(page.querySelector('.summary')) === '上传 1 个，秒传 0 个，失败 0 个', 'the retry summary');
    expect(states(page)).toEqual(['已上传', '已上传']);
    expect(cloud.uploads.filter((u) => u.filePath === fine.path)).toHaveLength(1);
    expect(cloud.uploads.filter((u) => u.filePath === refused.path)).toHaveLength(2);
    expect(page.querySelector('.retry-button')).toBeUndefined();

    await waitFor(() => page.querySelectorAll('.photo').length === 2, 'both photos in the grid');
    const committed = [...cloud.photos].sort((x, y) => y.id - x.id);
    expect(page.querySelectorAll('.photo-image').map((p) => attr(p, 'src'))).toEqual(committed.map((p) => p.thumbnail_url));
    expect(committed.map((p) => p.hash_value)).toEqual([refused.md5, fine.md5]);
  });

  test('取消 aborts the upload in flight and leaves the file ready to send again', async () => {
    const big = file('big.jpg', 1, 50_000);
    const cloud = createFakeCloud({ families: [family], albums: [album(101, '家庭相册', true)], files: [big] });
    const page = await open(cloud);
    pickMedia([mediaFile(big)]);
    await chooseAndList(page, 1);

    page.querySelector('.upload-button')!.dispatchEvent('tap');
    const upload = await waitFor(() => cloud.uploads[0], 'the upload to start');
    page.querySelector('.cancel-button')!.dispatchEvent('tap');
    await waitFor(() => page.data.uploading === false, 'the batch to stop');

    expect(upload.aborted).toBe(true);
    expect(states(page)).toEqual(['已取消']);
    expect(text(page.querySelector('.summary'))).toBe('上传 0 个，秒传 0 个，失败 0 个');
    expect(attr(page.querySelector('.upload-button'), 'disabled')).toBe(false);
    expect(cloud.requests).not.toContain('POST /photos');
  });
});

describe('未完成的上传', () => {
  const record = (hash: string, name: string, doneParts: number[], updatedAt: number) => ({
    hash,
    uploadId: `up-${hash.slice(0, 4)}`,
    key: `families/1/${hash}.mp4`,
    partSize: 4 * 1024 * 1024,
    partCount: 10,
    doneParts,
    fileName: name,
    fileSize: 40 * 1024 * 1024,
    fileType: 'video',
    familyId: 1,
    albumId: 101,
    expiresAt: '2099-01-01T00:00:00.000Z',
    updatedAt,
  });

  test('large uploads an earlier run left are listed with how far they got; 放弃 aborts one and drops it', async () => {
    const cloud = createFakeCloud();
    const a = record(md5(1), 'VID_a.mp4', [1, 2, 3], 1);
    const b = record(md5(2), 'VID_b.mp4', [1], 2);
    cloud.wx.setStorageSync('multipart_uploads', [a.hash, b.hash]);
    cloud.wx.setStorageSync(`multipart_upload_${a.hash}`, a);
    cloud.wx.setStorageSync(`multipart_upload_${b.hash}`, b);
    const page = await open(cloud);

    expect(text(page.querySelector('.unfinished-title'))).toBe('未完成的上传');
    const listed = page.querySelectorAll('.unfinished-item');
    expect(texts(page.querySelectorAll('.unfinished .file-name'))).toEqual(['VID_b.mp4', 'VID_a.mp4']);
    expect(texts(page.querySelectorAll('.unfinished-progress'))).toEqual(['已传 10%，重新选择这个视频即可继续', '已传 30%，重新选择这个视频即可继续']);
    expect(listed).toHaveLength(2);

    page.querySelectorAll('.abandon-button')[0].dispatchEvent('tap');
    await waitFor(() => page.querySelectorAll('.unfinished-item').length === 1, 'one left');
    expect(cloud.requests).toContain(`DELETE /uploads/multipart/${b.uploadId}`);
    expect(texts(page.querySelectorAll('.unfinished .file-name'))).toEqual(['VID_a.mp4']);
    expect(cloud.wx.getStorageSync(`multipart_upload_${b.hash}`)).toBe('');
  });

  test('with nothing left unfinished the list is not shown', async () => {
    const page = await open(createFakeCloud());
    expect(page.querySelector('.unfinished')).toBeUndefined();
  });
});
