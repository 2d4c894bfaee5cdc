import { storedHeadersProblem } from './storedHeadersProblem';

/** What the local OSS answers to a HEAD of an object the album's own form uploaded. */
const own = {
  'content-type': 'image/jpeg',
  'content-length': '2000',
  etag: '"0123456789ABCDEF0123456789ABCDEF"',
  'last-modified': 'Tue, 01 Dec 2026 08:00:00 GMT',
  'accept-ranges': 'bytes',
  'x-oss-object-type': 'Normal',
  'x-oss-storage-class': 'Standard',
  'x-oss-request-id': '5C3D9175B6FC201293AD****',
  'x-oss-hash-crc64ecma': '316181249502703****',
  server: 'AliyunOSS',
  date: 'Tue, 01 Dec 2026 08:00:01 GMT',
  connection: 'keep-alive',
  'keep-alive': 'timeout=5',
};

describe('storedHeadersProblem', () => {
  test("the album's own object passes", () => {
    expect(storedHeadersProblem(own, 'image/jpeg')).toBeUndefined();
  });

  test.each([
    ['another type', { 'content-type': 'video/3gpp' }, 'stored as "video/3gpp"'],
    ['a type with parameters', { 'content-type': 'image/jpeg; charset=utf-8' }, 'stored as'],
    ['no type at all', { 'content-type': undefined }, 'stored as ""'],
    ['Content-Encoding', { 'content-encoding': 'gzip' }, 'content-encoding'],
    ['Content-Disposition', { 'content-disposition': 'attachment; filename="photo.html"' }, 'content-disposition'],
    ['Cache-Control', { 'cache-control': 'no-store' }, 'cache-control'],
    ['Content-Language', { 'content-language': 'zh-CN' }, 'content-language'],
    ['Expires', { expires: 'Thu, 01 Jan 2099 00:00:00 GMT' }, 'expires'],
    ['user metadata', { 'x-oss-meta-a': '1' }, 'x-oss-meta-a'],
    ['tags', { 'x-oss-tagging-count': '1' }, 'x-oss-tagging-count'],
    ['a header nobody has listed yet', { 'x-oss-persistent-headers': 'a:Yg==' }, 'x-oss-persistent-headers'],
    ['an Appendable object', { 'x-oss-object-type': 'Appendable' }, '"Appendable"'],
    ['Archive storage', { 'x-oss-storage-class': 'Archive' }, '"Archive"'],
  ])('refuses %s', (_name, change, problem) => {
    const headers: Record<string, string> = { ...own };
    for (const [name, value] of Object.entries(change)) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    expect(storedHeadersProblem(headers, 'image/jpeg')).toContain(problem);
  });
});
