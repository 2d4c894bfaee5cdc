import { bucketUrl, objectUrl } from './bucketUrl';

test('Alibaba Cloud endpoints take the bucket as a sub-domain', () => {
  expect(bucketUrl('https://oss-cn-hangzhou.aliyuncs.com', 'family')).toBe('https://family.oss-cn-hangzhou.aliyuncs.com');
});

test('addresses and localhost take the bucket in the path', () => {
  expect(bucketUrl('http://127.0.0.1:3001', 'family')).toBe('http://127.0.0.1:3001/family');
  expect(bucketUrl('http://localhost:3001', 'family')).toBe('http://localhost:3001/family');
  expect(bucketUrl('http://[::1]:3001', 'family')).toBe('http://[::1]:3001/family');
});

test('object keys are encoded with slashes kept', () => {
  expect(objectUrl('http://127.0.0.1:3001', 'b', 'families/1/a b+c.jpg')).toBe('http://127.0.0.1:3001/b/families/1/a%20b%2Bc.jpg');
});
