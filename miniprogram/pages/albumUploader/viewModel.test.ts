import type { AlbumPhotoView, AlbumView, PhotoView } from '../../../typings/api';
import type { BatchProgress, FileProgress, SelectedFile, UploadResult } from '../../utils/types';
import { appendPhotos, counts, defaultAlbumIndex, formatSize, newItem, progressPatch, restartPatch, resultPatch, stateText, summaryText, type FileItem } from './viewModel';

const file = (name: string, size = 2048): SelectedFile => ({ path: `wxfile://tmp/${name}`, name, size, sizeKb: Math.ceil(size / 1024), time: 0, type: 'image', hash: '' });
const photo = (id: number): AlbumPhotoView => ({
  id,
  album_id: 1,
  family_id: 1,
  file_name: `p${id}.jpg`,
  file_type: 'image',
  file_size: 1,
  hash_value: 'a'.repeat(32),
  object_key: `families/1/${id}.jpg`,
  creator_id: 1,
  upload_time: '',
  created_at: '',
  url: `https://oss/p${id}`,
  thumbnail_url: `https://oss/p${id}?thumb`,
  url_expires_at: '',
  uploaded_by: { id: 1, nickname: null, avatar_url: null },
});
const progress = (files: Partial<FileProgress>[], percent: number): BatchProgress => ({
  files: files.map((f) => ({ state: 'waiting', bytesSent: 0, bytesTotal: 100, percent: 0, ...f })),
  bytesSent: 0,
  bytesTotal: 100 * files.length,
  percent,
});

test('formatSize picks a readable unit', () => {
  expect([0, 1023, 1024, 1536, 20 * 1024, 3.5 * 1024 ** 2, 1024 ** 3].map(formatSize)).toEqual(['0 B', '1023 B', '1.0 KB', '1.5 KB', '20 KB', '3.5 MB', '1.0 GB']);
});

test('stateText speaks Chinese and carries the percent and the reason', () => {
  expect(stateText('waiting', 0, '')).toBe('等待中');
  expect(stateText('hashing', 0, '')).toBe('计算中');
  expect(stateText('uploading', 37, '')).toBe('上传中 37%');
  expect(stateText('uploaded', 100, '')).toBe('已上传');
  expect(stateText('instant', 100, '')).toBe('秒传');
  expect(stateText('failed', 0, '网络错误')).toBe('失败：网络错误');
  expect(stateText('failed', 0, '')).toBe('失败');
});

describe('progressPatch', () => {
  test('names only the fields that changed, and the total when it moved', () => {
    const items: FileItem[] = [newItem(file('a.jpg'), 'f1', 'a'), newItem(file('b.jpg'), 'f2', 'b'), newItem(file('c.jpg'), 'f3', 'c')];
    // The batch is items 0 and 2 (item 1 was uploaded before).
    const first = progressPatch(items, [0, 2], progress([{ state: 'uploading', percent: 37 }, { state: 'waiting' }], 18), 0);
    expect(first).toEqual({ 'items[0].state': 'uploading', 'items[0].percent': 37, 'items[0].stateText': '上传中 37%', totalPercent: 18 });
    expect(items[0]).toMatchObject({ state: 'uploading', percent: 37 });

    const second = progressPatch(items, [0, 2], progress([{ state: 'uploading', percent: 37 }, { state: 'hashing' }], 18), 18);
    expect(second).toEqual({ 'items[2].state': 'hashing', 'items[2].stateText': '计算中' });
    expect(progressPatch(items, [0, 2], progress([{ state: 'uploading', percent: 37 }, { state: 'hashing' }], 18), 18)).toEqual({});
  });
});

describe('resultPatch', () => {
  const view = { id: 9 } as PhotoView;
  test('sets final states, counts the summary, and leaves cancelled files out of the failures', () => {
    const files = ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg'].map((n) => file(n));
    const items = files.map((f, i) => ({ ...newItem(f, `f${i}`, ''), state: 'uploading' as const, percent: 50 }));
    const results: UploadResult[] = [
      { status: 'uploaded', file: files[0], photo: view },
      { status: 'instant', file: files[1], photo: view },
      { status: 'failed', file: files[2], code: 'network_error', reason: '网络错误' },
      { status: 'failed', file: files[3], code: 'cancelled', reason: 'cancelled' },
    ];
    const { patch, summary } = resultPatch(items, [0, 1, 2, 3], results);
    expect(summary).toEqual({ uploaded: 1, instant: 1, failed: 1 });
    expect(summaryText(summary)).toBe('上传 1 个，秒传 1 个，失败 1 个');
    expect(items.map((i) => i.stateText)).toEqual(['已上传', '秒传', '失败：网络错误', '已取消']);
    expect(patch).toMatchObject({ 'items[0].percent': 100, 'items[2].reason': '网络错误', 'items[3].state': 'cancelled' });
    expect(counts(items)).toEqual({ pendingCount: 1, failedCount: 1 });

    // Retrying the failed one clears its reason.
    expect(restartPatch(items, [2])).toEqual({ 'items[2].state': 'waiting', 'items[2].reason': '', 'items[2].stateText': '等待中' });
    expect(counts(items)).toEqual({ pendingCount: 2, failedCount: 0 });
  });
});

test('defaultAlbumIndex prefers the default album, else the first', () => {
  const album = (id: number, is_default: boolean) => ({ id, is_default }) as AlbumView;
  expect(defaultAlbumIndex([album(1, false), album(2, true)])).toBe(1);
  expect(defaultAlbumIndex([album(1, false)])).toBe(0);
  expect(defaultAlbumIndex([])).toBe(0);
});

test('appendPhotos keeps order and skips photos already shown', () => {
  const shown = appendPhotos([], [photo(5), photo(4)]);
  expect(appendPhotos(shown, [photo(4), photo(3)]).map((p) => p.id)).toEqual([5, 4, 3]);
  expect(shown[0]).toEqual({ id: 5, file_name: 'p5.jpg', file_type: 'image', thumbnail_url: 'https://oss/p5?thumb', url: 'https://oss/p5' });
});
