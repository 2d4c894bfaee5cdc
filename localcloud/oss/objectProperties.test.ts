import { postObjectContentType, propertiesFromForm, propertiesFromHeaders } from './objectProperties';

describe('objectProperties', () => {
  test('PostObject Content-Type: the field, else x-oss-content-type, else the file part', () => {
    expect(postObjectContentType(new Map([['content-type', 'image/png'], ['x-oss-content-type', 'video/mp4']]), 'image/gif')).toBe('image/png');
    expect(postObjectContentType(new Map([['x-oss-content-type', 'video/mp4']]), 'image/gif')).toBe('video/mp4');
    expect(postObjectContentType(new Map(), 'image/gif')).toBe('image/gif');
  });

  test('form values keep their UTF-8 bytes in header form; only meta and kept headers are stored', () => {
    const props = propertiesFromForm(
      new Map([
        ['x-oss-meta-album', '家'],
        ['cache-control', 'no-cache'],
        ['key', 'k'],
        ['x-oss-meta-', 'nameless'],
      ]),
      'image/jpeg',
    );
    expect(props).toEqual({ contentType: 'image/jpeg', userMeta: { 'x-oss-meta-album': Buffer.from('家').toString('latin1') }, headers: { 'cache-control': 'no-cache' } });
  });

  test('PUT headers pass through; no Content-Type means application/octet-stream', () => {
    expect(propertiesFromHeaders({ 'x-oss-meta-a': 'b', expires: 'never', host: 'h' })).toEqual({
      contentType: 'application/octet-stream',
      userMeta: { 'x-oss-meta-a': 'b' },
      headers: { expires: 'never' },
    });
  });

  test('control characters are refused instead of breaking the answer', () => {
    expect(() => propertiesFromForm(new Map([['x-oss-meta-x', 'a\r\nSet-Cookie: y']]), 'text/plain')).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});
