import { createFakeWx } from '../../testkit/fakeWx';
import { forgetRecord, listRecords, loadRecord, saveRecord, type MultipartRecord } from './multipartState';

const record = (hash: string, overrides: Partial<MultipartRecord> = {}): MultipartRecord => ({
  hash,
  uploadId: `up-${hash}`,
  key: `families/1/${hash}.mp4`,
  partSize: 4 << 20,
  partCount: 10,
  doneParts: [1, 2],
  fileName: `${hash}.mp4`,
  fileSize: 40 << 20,
  fileType: 'video',
  familyId: 1,
  albumId: 2,
  expiresAt: '2026-12-02T00:00:00.000Z',
  updatedAt: 0,
  ...overrides,
});

test('records are kept by hash and listed newest first; expired ones are forgotten', () => {
  const { wx, storage } = createFakeWx();
  saveRecord(wx, record('a', { updatedAt: 1 }));
  saveRecord(wx, record('b', { updatedAt: 2 }));
  saveRecord(wx, record('c', { expiresAt: '2026-12-01T00:00:00.000Z' }));
  saveRecord(wx, record('a', { updatedAt: 3, doneParts: [1, 2, 3] }));
  const now = Date.parse('2026-12-01T12:00:00.000Z');
  expect(listRecords(wx, now).map((r) => [r.hash, r.doneParts.length])).toEqual([
    ['a', 3],
    ['b', 2],
  ]);
  expect(loadRecord(wx, 'c')).toBeUndefined();
  forgetRecord(wx, 'a');
  expect(listRecords(wx, now).map((r) => r.hash)).toEqual(['b']);
  expect([...storage.keys()].sort()).toEqual(['multipart_upload_b', 'multipart_uploads']);
});

test('junk in storage is ignored, and storage that throws costs nothing but the list', () => {
  const { wx } = createFakeWx();
  wx.setStorageSync('multipart_uploads', ['x', 42]);
  wx.setStorageSync('multipart_upload_x', { hash: 'x' });
  expect(listRecords(wx, 0)).toEqual([]);
  const broken = { ...wx, setStorageSync: () => { throw new Error('full'); }, getStorageSync: () => { throw new Error('gone'); } };
  expect(() => saveRecord(broken, record('d'))).not.toThrow();
  expect(listRecords(broken, 0)).toEqual([]);
});
