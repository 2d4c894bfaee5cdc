import { extensionOfPath } from '@family-album/contract';
import { contentTypeOf, extensionOf, formatBytes, fromChooseMedia, fromChooseMessageFile, REJECT_REASONS } from './fileFilter';
import type { SelectedFile } from './types';

const GB = 1024 ** 3;
const NOW = new Date(2024, 0, 15, 8, 30, 5).getTime(); // local time, as names are
const options = { maxSizeBytes: GB, now: () => NOW };

type MediaFile = WechatMiniprogram.MediaFile;
const media = (files: Array<Omit<Partial<MediaFile>, 'size'> & { size: unknown }>, type = 'mix'): WechatMiniprogram.ChooseMediaSuccessCallbackResult => ({
  type,
  errMsg: 'chooseMedia:ok',
  tempFiles: files.map((f, i) => ({ tempFilePath: `http://tmp/pick${i}.jpg`, fileType: 'image', duration: 0, height: 1, width: 1, thumbTempFilePath: '', ...f }) as MediaFile),
});
const chat = (files: Array<Omit<Partial<WechatMiniprogram.ChooseFile>, 'size'> & { size: unknown }>): WechatMiniprogram.ChooseMessageFileSuccessCallbackResult => ({
  errMsg: 'chooseMessageFile:ok',
  tempFiles: files.map((f, i) => ({ path: `http://tmp/chat${i}`, name: `file${i}.jpg`, type: 'image', time: 1_700_000_000, ...f }) as WechatMiniprogram.ChooseFile),
});

describe('fromChooseMedia', () => {
  test('builds unique camera-style names, reads string sizes, takes the kind from the extension', () => {
    const { accepted, rejected } = fromChooseMedia(
      media([
        { tempFilePath: 'http://tmp/a.JPG', size: 2048 },
        { tempFilePath: 'wxfile://tmp_b.mp4', size: '5000', fileType: 'video' },
        { tempFilePath: 'http://tmp/c.jpeg', size: ' 1025 ' },
        { tempFilePath: 'http://tmp/noext', size: 10, fileType: 'video' },
      ]),
      options,
    );
    expect(rejected).toEqual([]);
    expect(accepted).toEqual([
      { path: 'http://tmp/a.JPG', name: 'IMG_20240115_083005_1.jpg', size: 2048, sizeKb: 2, time: NOW, type: 'image', hash: '' },
      { path: 'wxfile://tmp_b.mp4', name: 'VID_20240115_083005_2.mp4', size: 5000, sizeKb: 5, time: NOW, type: 'video', hash: '' },
      { path: 'http://tmp/c.jpeg', name: 'IMG_20240115_083005_3.jpeg', size: 1025, sizeKb: 2, time: NOW, type: 'image', hash: '' },
      { path: 'http://tmp/noext', name: 'VID_20240115_083005_4.mp4', size: 10, sizeKb: 1, time: NOW, type: 'video', hash: '' },
    ]);
    expect(accepted.map(extensionOf)).toEqual(['jpg', 'mp4', 'jpeg', 'mp4']);
    expect(accepted.map(contentTypeOf)).toEqual(['image/jpeg', 'video/mp4', 'image/jpeg', 'video/mp4']);
  });

  test('rejects unsupported types, empty, unreadable and oversize files with a reason the page shows', () => {
    const { accepted, rejected } = fromChooseMedia(
      media([
        { tempFilePath: 'http://tmp/a.bmp', size: 10 },
        { tempFilePath: 'http://tmp/b.jpg', size: 0 },
        { tempFilePath: 'http://tmp/c.jpg', size: 'abc' },
        { tempFilePath: 'http://tmp/d.mp4', size: GB + 1, fileType: 'video' },
        { tempFilePath: 'http://tmp/e.mp4', size: GB, fileType: 'video' },
        { tempFilePath: 'http://tmp/noext', size: 5, fileType: undefined },
      ]),
      options,
    );
    expect(rejected).toEqual([
      { name: 'a.bmp', reason: '不支持的文件类型' },
      { name: 'b.jpg', reason: '文件为空' },
      { name: 'c.jpg', reason: '无法读取文件大小' },
      { name: 'd.mp4', reason: '文件超过 1 GB 上限' },
      { name: 'noext', reason: '不支持的文件类型' },
    ]);
    expect(accepted.map((f) => f.path)).toEqual(['http://tmp/e.mp4']);
  });

  test('drops duplicates within a selection and against the list, and never reuses a name in the list', () => {
    const first = fromChooseMedia(media([{ tempFilePath: 'http://tmp/a.jpg', size: 1 }]), options);
    const again = fromChooseMedia(
      media([
        { tempFilePath: 'http://tmp/a.jpg', size: 1 },
        { tempFilePath: 'http://tmp/b.jpg', size: 2 },
        { tempFilePath: 'http://tmp/b.jpg', size: 2 },
      ]),
      { ...options, existing: first.accepted },
    );
    expect(again.rejected).toEqual([
      { name: 'a.jpg', reason: REJECT_REASONS.duplicate },
      { name: 'b.jpg', reason: REJECT_REASONS.duplicate },
    ]);
    expect(again.accepted.map((f) => f.name)).toEqual(['IMG_20240115_083005_2.jpg']);
  });
});

describe('fromChooseMessageFile', () => {
  test('keeps names, converts time from seconds, takes the type from the extension', () => {
    const { accepted, rejected } = fromChooseMessageFile(
      chat([
        { path: 'http://tmp/x1', name: 'Holiday.PNG', size: 300, type: 'file' },
        { path: 'http://tmp/x2', name: 'clip.MOV', size: '4096', type: 'video' },
        { path: 'http://tmp/x3', name: 'report.pdf', size: 100, type: 'file' },
        { path: 'http://tmp/x4.heic', name: '', size: 50, type: 'image' },
      ]),
      options,
    );
    expect(rejected).toEqual([{ name: 'report.pdf', reason: '不支持的文件类型' }]);
    expect(accepted).toEqual([
      { path: 'http://tmp/x1', name: 'Holiday.PNG', size: 300, sizeKb: 1, time: 1_700_000_000_000, type: 'image', hash: '' },
      { path: 'http://tmp/x2', name: 'clip.MOV', size: 4096, sizeKb: 4, time: 1_700_000_000_000, type: 'video', hash: '' },
      { path: 'http://tmp/x4.heic', name: 'IMG_20231114_221320_1.heic'.replace('20231114_221320', stamp(1_700_000_000_000)), size: 50, sizeKb: 1, time: 1_700_000_000_000, type: 'image', hash: '' },
    ]);
    expect(accepted.map(extensionOf)).toEqual(['png', 'mov', 'heic']);
    expect(accepted.map(contentTypeOf)).toEqual(['image/png', 'video/quicktime', 'image/heic']);
  });

  test('same name and size as a listed file is a duplicate; same name, other size is not', () => {
    const listed: SelectedFile[] = [{ path: 'p0', name: 'a.jpg', size: 10, sizeKb: 1, time: 0, type: 'image', hash: '' }];
    const { accepted, rejected } = fromChooseMessageFile(
      chat([
        { path: 'p1', name: 'a.jpg', size: 10 },
        { path: 'p2', name: 'a.jpg', size: 11 },
      ]),
      { ...options, existing: listed },
    );
    expect(rejected).toEqual([{ name: 'a.jpg', reason: REJECT_REASONS.duplicate }]);
    expect(accepted.map((f) => f.path)).toEqual(['p2']);
  });
});

test('formatBytes reads like a person', () => {
  expect([GB, 500 * 1024 ** 2, 1.5 * 1024 ** 2, 512].map(formatBytes)).toEqual(['1 GB', '500 MB', '1.5 MB', '512 B']);
});

function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}_${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

test("extensionOfPath (the contract's) reads the extension the filter classifies by", () => {
  expect(['http://tmp/a.JPG', 'wxfile://tmp_x.mp4', 'a/b.c/noext', 'x.tar.gz', '.hidden', 'IMG.3GP'].map(extensionOfPath)).toEqual(['jpg', 'mp4', '', 'gz', '', '3gp']);
});
