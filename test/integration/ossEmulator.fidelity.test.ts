/**
 * Wire fidelity of the OSS emulator (issue 11): what it does not implement answers 501
 * NotImplemented and changes nothing; errors carry OSS's EC, and HEAD errors their XML in
 * x-oss-err; objects carry x-oss-hash-crc64ecma, checked against the independent crc64-ecma182.js;
 * listings have whole-second LastModified; an unserved bucket is NoSuchBucket in either addressing.
 * Driven with the official Node SDK (ali-oss, V4) where it has the call, raw signed HTTP otherwise.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc64 } from 'crc64-ecma182.js';
import { ossErrorFields, signedOssFetch } from '../../testkit/signedOssFetch';
import { postForm, signedPostFields, startTestOssEmulator, TEST_ACCESS_KEY, TEST_BUCKET, TestOssEmulator } from '../../testkit/startTestOssEmulator';

// ali-oss ships no types; these describe only what is called here.
interface AliResponse {
  status: number;
  headers: Record<string, string>;
}
interface AliError {
  status: number;
  code: string;
  ecCode?: string;
  requestId?: string;
}
type AliCall = Promise<{ res: AliResponse }>;
interface AliOssClient {
  put(name: string, content: Buffer): Promise<{ res: AliResponse }>;
  get(name: string, file?: null, options?: { headers?: Record<string, string> }): Promise<{ content: Buffer; res: AliResponse }>;
  head(name: string): Promise<{ res: AliResponse }>;
  list(query: Record<string, string | number> | null, options?: object): Promise<{ objects?: Array<{ name: string; lastModified: string }> }>;
  copy(name: string, sourceName: string): AliCall;
  putObjectTagging(name: string, tag: Record<string, string>): AliCall;
  getACL(name: string): AliCall;
  putACL(name: string, acl: string): AliCall;
  initMultipartUpload(name: string, options?: { headers?: Record<string, string> }): AliCall;
  uploadPartCopy(name: string, uploadId: string, partNo: number, range: string, source: { sourceKey: string; sourceBucketName: string }): AliCall;
  append(name: string, content: Buffer, options?: { position?: string }): AliCall;
  putSymlink(name: string, targetName: string): AliCall;
  restore(name: string): AliCall;
  putBucketCORS(name: string, rules: object[]): AliCall;
  deleteBucket(name: string): AliCall;
  listV2(query: Record<string, string | number>): AliCall;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const OSS: new (options: object) => AliOssClient = require('ali-oss');

let oss: TestOssEmulator;
let client: AliOssClient;
let pathStyle: (bucket: string) => AliOssClient;
const VICTIM = 'families/7/victim.jpg';
const OTHER = 'families/7/other.jpg';
const victimBytes = randomBytes(4096);
const otherBytes = randomBytes(1000);

beforeAll(async () => {
  oss = await startTestOssEmulator();
  const options = {
    region: 'oss-cn-hangzhou',
    accessKeyId: TEST_ACCESS_KEY.accessKeyId,
    accessKeySecret: TEST_ACCESS_KEY.accessKeySecret,
    authorizationV4: true,
    timeout: 10_000,
  };
  client = new OSS({ ...options, bucket: TEST_BUCKET, endpoint: oss.url });
  pathStyle = (bucket) => new OSS({ ...options, bucket, endpoint: `http://localhost:${oss.port}`, sldEnable: true });
  await client.put(VICTIM, victimBytes);
  await client.put(OTHER, otherBytes);
});
afterAll(() => oss.close());

/** Every object file on disk, so "unchanged" covers what no listing shows (parts, temp files). */
async function filesOnDisk(): Promise<string[]> {
  const root = join(oss.dataDir, TEST_BUCKET);
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else found.push(join(dir, entry.name));
    }
  };
  await walk(root);
  return found.sort();
}

describe('what the emulator does not implement answers 501 NotImplemented and changes nothing', () => {
  const expectUnchanged = async (before: string[], writesBefore: number) => {
    expect((await client.get(VICTIM)).content.equals(victimBytes)).toBe(true);
    expect((await client.get(OTHER)).content.equals(otherBytes)).toBe(true);
    expect(await filesOnDisk()).toEqual(before);
    expect(oss.emulator.stats().objectsWritten).toBe(writesBefore);
  };

  const sdkCases: Array<[string, () => AliCall]> = [
    ['CopyObject (x-oss-copy-source) onto an existing object', () => client.copy(VICTIM, OTHER)],
    ['PutObjectTagging (PUT ?tagging)', () => client.putObjectTagging(VICTIM, { a: 'b' })],
    // Multipart upload is implemented (ossEmulator.multipart.test.ts); copying a part is not.
    ['UploadPartCopy (PUT ?partNumber&uploadId with x-oss-copy-source)', () => client.uploadPartCopy(VICTIM, 'no-such-upload', 1, '0-3', { sourceKey: OTHER, sourceBucketName: TEST_BUCKET })],
    ['GetObjectACL (GET ?acl)', () => client.getACL(VICTIM)],
    ['PutObjectACL (PUT ?acl)', () => client.putACL(VICTIM, 'public-read')],
    ['InitiateMultipartUpload with object tags (x-oss-tagging)', () => client.initMultipartUpload(VICTIM, { headers: { 'x-oss-tagging': 'a=b' } })],
    ['AppendObject (POST ?append&position)', () => client.append(VICTIM, Buffer.from('tail'), { position: '4096' })],
    ['PutSymlink (PUT ?symlink)', () => client.putSymlink(VICTIM, OTHER)],
    ['RestoreObject (POST ?restore)', () => client.restore(VICTIM)],
    ['PutBucketCors (PUT /?cors)', () => client.putBucketCORS(TEST_BUCKET, [{ allowedOrigin: '*', allowedMethod: 'GET' }])],
    ['DeleteBucket', () => client.deleteBucket(TEST_BUCKET)],
    ['ListObjectsV2 (list-type=2)', () => client.listV2({ 'max-keys': 10 })],
  ];

  test.each(sdkCases)('ali-oss %s', async (_, call) => {
    const before = await filesOnDisk();
    const writesBefore = oss.emulator.stats().objectsWritten;
    const error = (await call().then(
      () => undefined,
      (err: AliError) => err,
    )) as AliError;
    expect(error).toMatchObject({ status: 501, code: 'NotImplemented' });
    expect(error.requestId).toMatch(/^[0-9A-F]{24}$/);
    await expectUnchanged(before, writesBefore);
  });

  const rawCases: Array<[string, Parameters<typeof signedOssFetch>[1]]> = [
    ['PUT ?partNumber=1&uploadId=… with x-oss-copy-source (UploadPartCopy)', { method: 'PUT', key: VICTIM, query: { partNumber: '1', uploadId: 'abc' }, headers: { 'x-oss-copy-source': `/${TEST_BUCKET}/${OTHER}` } }],
    ['POST ?uploads with x-oss-storage-class', { method: 'POST', key: VICTIM, query: { uploads: '' }, headers: { 'x-oss-storage-class': 'IA' } }],
    ['PUT ?uploadId=… without partNumber', { method: 'PUT', key: VICTIM, query: { uploadId: 'abc' }, body: 'part bytes' }],
    ['GET ?acl', { method: 'GET', key: VICTIM, query: { acl: '' } }],
    ['PUT ?tagging with tagging XML', { method: 'PUT', key: VICTIM, query: { tagging: '' }, body: '<Tagging><TagSet/></Tagging>' }],
    ['PUT with x-oss-copy-source', { method: 'PUT', key: VICTIM, headers: { 'x-oss-copy-source': `/${TEST_BUCKET}/${OTHER}` } }],
    ['PUT with x-oss-tagging', { method: 'PUT', key: VICTIM, headers: { 'x-oss-tagging': 'a=b' }, body: 'new bytes' }],
    ['PUT with x-oss-server-side-encryption', { method: 'PUT', key: VICTIM, headers: { 'x-oss-server-side-encryption': 'AES256' }, body: 'new bytes' }],
    ['DELETE ?versionId', { method: 'DELETE', key: VICTIM, query: { versionId: 'v1' } }],
    ['PUT ?lifecycle on the bucket', { method: 'PUT', key: '', query: { lifecycle: '' }, body: '<LifecycleConfiguration/>' }],
    ['POST ?delete on the bucket (DeleteMultipleObjects)', { method: 'POST', key: '', query: { delete: '' }, body: `<Delete><Object><Key>${VICTIM}</Key></Object></Delete>` }],
  ];

  test.each(rawCases)('raw signed %s', async (_, request) => {
    const before = await filesOnDisk();
    const writesBefore = oss.emulator.stats().objectsWritten;
    const answer = await signedOssFetch(oss.url, request);
    const text = await answer.text();
    expect(answer.status).toBe(501);
    expect(answer.headers.get('content-type')).toBe('application/xml');
    const fields = ossErrorFields(text);
    expect(fields.code).toBe('NotImplemented');
    expect(fields.requestId).toBe(answer.headers.get('x-oss-request-id'));
    expect(fields.hostId).toBe(`${TEST_BUCKET}.oss-cn-hangzhou.aliyuncs.com`);
    await expectUnchanged(before, writesBefore);
  });

  test('what it does implement still works beside them: response-* overrides on GET', async () => {
    const answer = await signedOssFetch(oss.url, { method: 'GET', key: VICTIM, query: { 'response-content-type': 'image/png', 'response-cache-control': 'no-cache' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await answer.arrayBuffer()).equals(victimBytes)).toBe(true);
  });
});

describe('errors as OSS words them: EC, x-oss-ec, and x-oss-err on HEAD', () => {
  test('GET of a missing key: NoSuchKey with EC 0026-00000001 in the body and x-oss-ec', async () => {
    const answer = await signedOssFetch(oss.url, { method: 'GET', key: 'families/7/missing.jpg' });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('x-oss-ec')).toBe('0026-00000001');
    expect(ossErrorFields(await answer.text())).toMatchObject({ code: 'NoSuchKey', ec: '0026-00000001' });
  });

  test('HEAD of a missing key: no body, the error XML base64-encoded in x-oss-err', async () => {
    const answer = await signedOssFetch(oss.url, { method: 'HEAD', key: 'families/7/missing.jpg' });
    expect(answer.status).toBe(404);
    expect(await answer.text()).toBe('');
    const xml = Buffer.from(answer.headers.get('x-oss-err') ?? '', 'base64').toString('utf8');
    expect(ossErrorFields(xml)).toMatchObject({ code: 'NoSuchKey', ec: '0026-00000001', requestId: answer.headers.get('x-oss-request-id') });
  });

  test('ali-oss reads a HEAD error from x-oss-err (it has no other way to learn a 403 code)', async () => {
    const wrong = new OSS({ region: 'oss-cn-hangzhou', accessKeyId: TEST_ACCESS_KEY.accessKeyId, accessKeySecret: 'wrong', bucket: TEST_BUCKET, endpoint: oss.url, authorizationV4: true });
    await expect(wrong.head(VICTIM)).rejects.toMatchObject({ status: 403, code: 'SignatureDoesNotMatch', ecCode: '0002-00000201' });
  });
});

describe('x-oss-hash-crc64ecma (CRC-64/ECMA-182) agrees with the independent crc64-ecma182.js', () => {
  test('on PUT, HEAD, GET and a range GET (the whole object\'s CRC)', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 5);
    const expected = crc64(bytes);
    const put = await client.put('families/7/crc.bin', bytes);
    expect(put.res.headers['x-oss-hash-crc64ecma']).toBe(expected);
    expect((await client.head('families/7/crc.bin')).res.headers['x-oss-hash-crc64ecma']).toBe(expected);
    const got = await client.get('families/7/crc.bin');
    expect(crc64(got.content)).toBe(got.res.headers['x-oss-hash-crc64ecma']);
    expect(got.res.headers['x-oss-hash-crc64ecma']).toBe(expected);
    const range = await client.get('families/7/crc.bin', null, { headers: { Range: 'bytes=0-9' } });
    expect(range.res.status).toBe(206);
    expect(range.res.headers['x-oss-hash-crc64ecma']).toBe(expected);
  });

  test('on a PostObject answer, and an empty object is 0', async () => {
    const bytes = randomBytes(70_000);
    const answer = await fetch(`${oss.url}/`, { method: 'POST', body: postForm(signedPostFields({ key: 'families/7/posted.bin' }), { bytes }) });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('x-oss-hash-crc64ecma')).toBe(crc64(bytes));
    expect((await client.put('families/7/empty.bin', Buffer.alloc(0))).res.headers['x-oss-hash-crc64ecma']).toBe('0');
  });
});

test('ListObjects LastModified is at whole seconds (.000Z), which oss2 requires', async () => {
  const answer = await signedOssFetch(oss.url, { method: 'GET', key: '', query: { prefix: 'families/7/' } });
  const stamps = [...(await answer.text()).matchAll(/<LastModified>([^<]*)<\/LastModified>/g)].map((m) => m[1]);
  expect(stamps.length).toBeGreaterThan(1);
  for (const stamp of stamps) expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  const listed = await client.list({ prefix: 'families/7/' });
  expect(listed.objects?.every((o) => o.lastModified.endsWith('.000Z'))).toBe(true);
});

describe('an unserved bucket is NoSuchBucket (EC 0015-00000101) in either addressing style', () => {
  const noSuchBucket = { status: 404, code: 'NoSuchBucket', ecCode: '0015-00000101' };

  test('virtual-hosted (ali-oss with an IP endpoint sends Host: <bucket>.oss-…)', async () => {
    await expect(new OSS({ region: 'oss-cn-hangzhou', ...credentialsOf(), bucket: 'not-served', endpoint: oss.url, authorizationV4: true }).get(VICTIM)).rejects.toMatchObject(noSuchBucket);
  });

  test('path style (ali-oss sldEnable): GET, PUT, and a listing; nothing is written', async () => {
    const writesBefore = oss.emulator.stats().objectsWritten;
    await expect(pathStyle('not-served').get(VICTIM)).rejects.toMatchObject(noSuchBucket);
    await expect(pathStyle('not-served').put('x.bin', Buffer.from('x'))).rejects.toMatchObject(noSuchBucket);
    await expect(pathStyle('not-served').list({ prefix: 'a' })).rejects.toMatchObject(noSuchBucket);
    expect(oss.emulator.stats().objectsWritten).toBe(writesBefore);
    // The served bucket still answers path style.
    expect((await pathStyle(TEST_BUCKET).get(VICTIM)).content.equals(victimBytes)).toBe(true);
  });

  test('path style HEAD carries it in x-oss-err; a PostObject form posted to /<bucket> too', async () => {
    const head = await signedOssFetch(oss.url, { method: 'HEAD', key: VICTIM, bucket: 'not-served' });
    expect(head.status).toBe(404);
    expect(ossErrorFields(Buffer.from(head.headers.get('x-oss-err') ?? '', 'base64').toString())).toMatchObject({ code: 'NoSuchBucket' });
    const posted = await fetch(`${oss.url}/not-served`, { method: 'POST', body: postForm(signedPostFields({ key: 'families/7/p.bin' }), { bytes: Buffer.from('x') }) });
    expect(posted.status).toBe(404);
    expect(ossErrorFields(await posted.text())).toMatchObject({ code: 'NoSuchBucket', ec: '0015-00000101' });
  });
});

function credentialsOf() {
  return { accessKeyId: TEST_ACCESS_KEY.accessKeyId, accessKeySecret: TEST_ACCESS_KEY.accessKeySecret };
}
