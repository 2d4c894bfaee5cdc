import { OssError } from './ossError';
import { parseRequestUrl, resolveTarget } from './resolveTarget';

const buckets = ['family-album', 'other-bucket'];

describe('parseRequestUrl', () => {
  test('splits path and decoded query; a bare name has an empty value; + stays +', () => {
    expect(parseRequestUrl('/a%20b/c?x-oss-process=image%2Fresize%2Cw_100&acl&q=1+2')).toEqual({
      rawPath: '/a%20b/c',
      query: { 'x-oss-process': 'image/resize,w_100', acl: '', q: '1+2' },
    });
  });

  test('accepts absolute-form targets', () => {
    expect(parseRequestUrl('http://127.0.0.1:3001/k?x=1')).toEqual({ rawPath: '/k', query: { x: '1' } });
  });

  test('broken percent-encoding is InvalidURI', () => {
    expect(() => parseRequestUrl('/k?x=%E0%A4%A')).toThrow(expect.objectContaining({ status: 400, code: 'InvalidURI' }));
  });
});

describe('resolveTarget', () => {
  test('virtual-hosted: the bucket is the first Host label and the whole path is the key', () => {
    expect(resolveTarget({ host: 'family-album.oss-cn-hangzhou.aliyuncs.com', rawPath: '/family-album/x%2By%20z.jpg', buckets })).toEqual({
      bucket: 'family-album',
      key: 'family-album/x+y z.jpg',
      addressing: 'virtual-hosted',
    });
    expect(resolveTarget({ host: 'other-bucket.localhost:3001', rawPath: '/k', buckets }).bucket).toBe('other-bucket');
  });

  test('an OSS-looking host naming an unknown bucket is NoSuchBucket', () => {
    expect(() => resolveTarget({ host: 'nope.oss-cn-hangzhou.aliyuncs.com', rawPath: '/k', buckets })).toThrow(
      expect.objectContaining({ status: 404, code: 'NoSuchBucket' }),
    );
  });

  test('path style when the first segment names a served bucket', () => {
    expect(resolveTarget({ host: '127.0.0.1:3001', rawPath: '/other-bucket/a/b%E4%BD%A0.txt', buckets })).toEqual({
      bucket: 'other-bucket',
      key: 'a/b你.txt',
      addressing: 'path',
    });
    expect(resolveTarget({ host: '127.0.0.1:3001', rawPath: '/other-bucket', buckets })).toMatchObject({ bucket: 'other-bucket', key: '' });
  });

  test('otherwise the default bucket, whatever the host (IP, localhost, a LAN name)', () => {
    for (const host of ['127.0.0.1:3001', 'localhost:3001', 'my-laptop.local:3001', '[::1]:3001', undefined]) {
      expect(resolveTarget({ host, rawPath: '/families/1/abc.jpg', buckets })).toMatchObject({
        bucket: 'family-album',
        key: 'families/1/abc.jpg',
        addressing: 'default',
      });
    }
    expect(resolveTarget({ host: 'localhost', rawPath: '/', buckets })).toMatchObject({ bucket: 'family-album', key: '' });
  });

  test('a default reading whose first segment could be a bucket carries the path-style alternative', () => {
    expect(resolveTarget({ host: '127.0.0.1:3001', rawPath: '/no-such-bucket/k%201', buckets })).toEqual({
      bucket: 'family-album',
      key: 'no-such-bucket/k 1',
      addressing: 'default',
      unservedPathStyle: { bucket: 'no-such-bucket', key: 'k 1' },
    });
    expect(resolveTarget({ host: '127.0.0.1:3001', rawPath: '/Not_A_Bucket/k', buckets }).unservedPathStyle).toBeUndefined();
  });

  test('at the region endpoint the path names the bucket: an unknown one is NoSuchBucket', () => {
    expect(resolveTarget({ host: 'oss-cn-hangzhou.aliyuncs.com', rawPath: '/other-bucket/k', buckets })).toMatchObject({ bucket: 'other-bucket', key: 'k', addressing: 'path' });
    expect(() => resolveTarget({ host: 'oss-cn-hangzhou.aliyuncs.com', rawPath: '/nope-bucket/k', buckets })).toThrow(
      expect.objectContaining({ status: 404, code: 'NoSuchBucket', ec: '0015-00000101', details: { BucketName: 'nope-bucket' } }),
    );
  });

  test('errors are OssErrors', () => {
    expect(() => resolveTarget({ host: 'localhost', rawPath: '/%zz', buckets })).toThrow(OssError);
  });
});
