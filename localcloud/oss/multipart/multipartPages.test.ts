import type { PartRecord, UploadRecord } from './createMultipartStore';
import { compareUploads, listPartsPage, listUploadsPage } from './multipartPages';

const part = (partNumber: number): PartRecord => ({ partNumber, etag: 'E', sizeBytes: 1, crc64: '0', lastModified: '', dataFile: '' });
const upload = (key: string, uploadId: string): UploadRecord => ({
  key,
  uploadId,
  initiated: '',
  props: { contentType: 'application/octet-stream', userMeta: {}, headers: {} },
});

describe('listPartsPage', () => {
  const parts = [1, 2, 5, 9].map(part);

  test('defaults to 1,000 parts from the start', () => {
    expect(listPartsPage(parts, {})).toMatchObject({ partNumberMarker: 0, maxParts: 1000, truncated: false });
  });

  test('pages by max-parts and part-number-marker', () => {
    const first = listPartsPage(parts, { 'max-parts': '2' });
    expect([first.parts.map((p) => p.partNumber), first.truncated]).toEqual([[1, 2], true]);
    const second = listPartsPage(parts, { 'max-parts': '2', 'part-number-marker': '2' });
    expect([second.parts.map((p) => p.partNumber), second.truncated]).toEqual([[5, 9], false]);
    expect(listPartsPage(parts, { 'part-number-marker': '3' }).parts.map((p) => p.partNumber)).toEqual([5, 9]);
  });

  test.each([['max-parts', '0'], ['max-parts', '1001'], ['max-parts', 'x'], ['part-number-marker', '-1']])('%s=%s is InvalidArgument', (name, value) => {
    expect(() => listPartsPage(parts, { [name]: value })).toThrow(expect.objectContaining({ code: 'InvalidArgument', status: 400 }));
  });
});

describe('listUploadsPage', () => {
  const uploads = [upload('b/2', '02'), upload('a', '02'), upload('a', '01'), upload('b/1', '01'), upload('c', '01'), upload('é', '01')].sort(compareUploads);

  test('orders by key bytes, then upload id', () => {
    expect(uploads.map((u) => `${u.key}:${u.uploadId}`)).toEqual(['a:01', 'a:02', 'b/1:01', 'b/2:02', 'c:01', 'é:01']);
  });

  test('pages with key-marker and upload-id-marker, as S3 and OSS define them', () => {
    const first = listUploadsPage(uploads, { 'max-uploads': '1' });
    expect([first.uploads.map((u) => u.uploadId), first.truncated, first.nextKeyMarker, first.nextUploadIdMarker]).toEqual([['01'], true, 'a', '01']);
    const second = listUploadsPage(uploads, { 'max-uploads': '1', 'key-marker': 'a', 'upload-id-marker': '01' });
    expect(second.uploads.map((u) => `${u.key}:${u.uploadId}`)).toEqual(['a:02']);
    // Without upload-id-marker, every upload of the key-marker's key is skipped.
    expect(listUploadsPage(uploads, { 'key-marker': 'a' }).uploads.map((u) => u.key)).toEqual(['b/1', 'b/2', 'c', 'é']);
    // upload-id-marker alone is ignored.
    expect(listUploadsPage(uploads, { 'upload-id-marker': '01' }).uploads).toHaveLength(6);
  });

  test('prefix and delimiter group keys into CommonPrefixes', () => {
    const page = listUploadsPage(uploads, { delimiter: '/' });
    expect(page.uploads.map((u) => u.key)).toEqual(['a', 'a', 'c', 'é']);
    expect(page.commonPrefixes).toEqual(['b/']);
    expect(listUploadsPage(uploads, { prefix: 'b/' }).uploads.map((u) => u.key)).toEqual(['b/1', 'b/2']);
    expect(listUploadsPage(uploads, { delimiter: '/', 'key-marker': 'b/' }).commonPrefixes).toEqual([]);
  });

  test('a common prefix counts once toward max-uploads', () => {
    const page = listUploadsPage(uploads, { delimiter: '/', 'max-uploads': '3' });
    expect([page.uploads.map((u) => u.key), page.commonPrefixes, page.truncated, page.nextKeyMarker]).toEqual([['a', 'a'], ['b/'], true, 'b/']);
  });
});
