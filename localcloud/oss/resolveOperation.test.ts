import { OperationSpec, resolveOperation } from './resolveOperation';

const operations: OperationSpec[] = [
  { name: 'GetObject', method: 'GET', target: 'object', queryParams: ['response-content-type', 'x-oss-process'] },
  { name: 'PutObject', method: 'PUT', target: 'object', ossHeaders: ['x-oss-meta-*', 'x-oss-forbid-overwrite'] },
  { name: 'DeleteObject', method: 'DELETE', target: 'object' },
  { name: 'ListObjects', method: 'GET', target: 'bucket', queryParams: ['prefix', 'max-keys'] },
  { name: 'PostObject', method: 'POST', target: 'bucket' },
  { name: 'UploadPart', method: 'PUT', target: 'object', subResources: ['partNumber', 'uploadId'] },
];

const resolve = (method: string, target: 'bucket' | 'object', query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  resolveOperation(operations, { method, target, query, headers });

const notImplemented = expect.objectContaining({ status: 501, code: 'NotImplemented' });

describe('resolveOperation', () => {
  test('plain requests find their operation; presign parameters and signing headers are always allowed', () => {
    expect(resolve('GET', 'object').name).toBe('GetObject');
    expect(resolve('GET', 'object', { 'x-oss-signature-version': 'OSS4-HMAC-SHA256', 'x-oss-signature': 'abc', 'response-content-type': 'a/b' }).name).toBe('GetObject');
    expect(resolve('PUT', 'object', {}, { 'x-oss-date': '20240101T000000Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', 'x-oss-meta-owner': 'a', 'content-type': 'x/y' }).name).toBe('PutObject');
    expect(resolve('GET', 'bucket', { prefix: 'a/', 'max-keys': '5' }).name).toBe('ListObjects');
  });

  test('the most specific operation wins when its sub-resources are all present', () => {
    expect(resolve('PUT', 'object', { partNumber: '1', uploadId: 'u' }).name).toBe('UploadPart');
  });

  test('a sub-resource or parameter no operation reads is NotImplemented, named in the message', () => {
    for (const [method, query] of [
      ['GET', { acl: '' }],
      ['PUT', { tagging: '' }],
      ['PUT', { partNumber: '1' }],
      ['DELETE', { uploadId: 'u' }],
      ['POST', { uploads: '' }],
      ['GET', { 'list-type': '2' }],
      ['HEAD', { 'response-content-type': 'a/b' }],
    ] as const) {
      const target = 'list-type' in query ? 'bucket' : 'object';
      expect(() => resolve(method, target, query)).toThrow(notImplemented);
      expect(() => resolve(method, target, query)).toThrow(new RegExp(`"${Object.keys(query)[0]}"`));
    }
  });

  test('an x-oss-* header the operation does not read is NotImplemented', () => {
    expect(() => resolve('PUT', 'object', {}, { 'x-oss-copy-source': '/b/k' })).toThrow(notImplemented);
    expect(() => resolve('GET', 'object', {}, { 'x-oss-meta-a': 'b' })).toThrow(/x-oss-meta-a/);
    expect(() => resolve('PUT', 'object', {}, { 'x-oss-tagging': 'a=b' })).toThrow(notImplemented);
  });

  test('bucket operations are NotImplemented; a method with no operation on the resource is MethodNotAllowed', () => {
    expect(() => resolve('PUT', 'bucket')).toThrow(notImplemented);
    expect(() => resolve('DELETE', 'bucket')).toThrow(notImplemented);
    expect(() => resolve('POST', 'object')).toThrow(expect.objectContaining({ status: 405, code: 'MethodNotAllowed' }));
    expect(() => resolve('PATCH', 'object')).toThrow(expect.objectContaining({ status: 405, code: 'MethodNotAllowed' }));
  });
});
