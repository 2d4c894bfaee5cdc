/**
 * The OSS emulator against the official Node SDK (ali-oss 6.23, V4 signatures) over real HTTP:
 * virtual-hosted (what ali-oss sends to an IP endpoint), cname (plain host, default bucket) and
 * path style (sldEnable), permanent and STS credentials, presigned URLs fetched without the SDK.
 */
import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { issueStsCredentials } from '../../localcloud/stsTokens';
import {
  startTestOssEmulator,
  TEST_ACCESS_KEY,
  TEST_BUCKET,
  TEST_SECOND_BUCKET,
  TEST_STS_SECRET,
  TestOssEmulator,
} from '../../testkit/startTestOssEmulator';

// ali-oss ships no types; these describe only what is called here.
interface AliResponse {
  status: number;
  headers: Record<string, string>;
}
interface AliOssClient {
  put(name: string, content: Buffer, options?: { headers?: Record<string, string>; meta?: Record<string, string>; mime?: string }): Promise<{ name: string; res: AliResponse }>;
  head(name: string): Promise<{ status: number; meta: Record<string, string> | null; res: AliResponse }>;
  get(name: string, file?: null, options?: { headers?: Record<string, string> }): Promise<{ content: Buffer; res: AliResponse }>;
  delete(name: string): Promise<{ res: AliResponse }>;
  list(query: Record<string, string | number> | null, options?: object): Promise<{ objects: Array<{ name: string; size: number; etag: string }> | undefined; prefixes: string[] | null }>;
  signatureUrlV4(method: string, expiresSec: number, request: { headers?: Record<string, string>; queries?: Record<string, string> }, objectName: string): Promise<string>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const OSS: new (options: object) => AliOssClient = require('ali-oss');

const md5Upper = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex').toUpperCase();
const KEYS = ['photos/hello world.txt', 'a+b=c&d%20e.txt', '家庭/照片 1.jpg', 'deep/nested/path/x.bin', "odd!*'()~chars.dat"];

let oss: TestOssEmulator;
/** The emulator's clock runs this far ahead of the SDK's, to expire URLs without sleeping. */
let clockAheadMs = 0;
beforeAll(async () => {
  oss = await startTestOssEmulator({ now: () => new Date(Date.now() + clockAheadMs) });
  // ali-oss recommends refreshSTSToken on every STS client; the advice is noise here.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterAll(async () => {
  jest.restoreAllMocks();
  await oss.close();
});

function client(options: object = {}): AliOssClient {
  return new OSS({
    region: 'oss-cn-hangzhou',
    accessKeyId: TEST_ACCESS_KEY.accessKeyId,
    accessKeySecret: TEST_ACCESS_KEY.accessKeySecret,
    bucket: TEST_BUCKET,
    endpoint: oss.url,
    authorizationV4: true,
    timeout: 10_000,
    ...options,
  });
}

const forms: Array<[string, () => AliOssClient]> = [
  ['virtual-hosted (IP endpoint)', () => client()],
  ['cname at localhost (default bucket)', () => client({ endpoint: `http://localhost:${oss.port}`, cname: true })],
  ['path style (sldEnable)', () => client({ endpoint: `http://localhost:${oss.port}`, sldEnable: true })],
];

describe.each(forms)('ali-oss, %s', (_, makeClient) => {
  test.each(KEYS)('put, head, get, range, presigned GET and delete %j', async (key) => {
    const c = makeClient();
    const bytes = randomBytes(2048 + key.length);
    const put = await c.put(key, bytes, { meta: { owner: 'alice', note: 'x y' }, mime: 'image/jpeg' });
    expect(put.res.status).toBe(200);
    expect(put.res.headers.etag).toBe(`"${md5Upper(bytes)}"`);

    const head = await c.head(key);
    expect(head.status).toBe(200);
    expect(head.res.headers.etag).toBe(`"${md5Upper(bytes)}"`);
    expect(head.res.headers['content-length']).toBe(String(bytes.length));
    expect(head.res.headers['content-type']).toBe('image/jpeg');
    expect(head.res.headers['last-modified']).toMatch(/GMT$/);
    expect(head.meta).toEqual({ owner: 'alice', note: 'x y' });

    const got = await c.get(key);
    expect(Buffer.compare(got.content, bytes)).toBe(0);

    const range = await c.get(key, null, { headers: { Range: 'bytes=10-19' } });
    expect(range.res.status).toBe(206);
    expect(range.res.headers['content-range']).toBe(`bytes 10-19/${bytes.length}`);
    expect(Buffer.compare(range.content, bytes.subarray(10, 20))).toBe(0);

    const url = await c.signatureUrlV4('GET', 600, {}, key);
    const viaFetch = await fetch(url);
    expect(viaFetch.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await viaFetch.arrayBuffer()), bytes)).toBe(0);

    expect((await c.delete(key)).res.status).toBe(204);
    await expect(c.head(key)).rejects.toMatchObject({ status: 404 });
    expect((await c.delete(key)).res.status).toBe(204);
  });
});

describe('ali-oss, more', () => {
  test('buckets are told apart by Host and by path', async () => {
    const first = client();
    const second = client({ bucket: TEST_SECOND_BUCKET });
    const pathStyleSecond = client({ endpoint: `http://localhost:${oss.port}`, sldEnable: true, bucket: TEST_SECOND_BUCKET });
    await first.put('same-key.txt', Buffer.from('first'));
    await second.put('same-key.txt', Buffer.from('second'));
    expect((await first.get('same-key.txt')).content.toString()).toBe('first');
    expect((await second.get('same-key.txt')).content.toString()).toBe('second');
    expect((await pathStyleSecond.get('same-key.txt')).content.toString()).toBe('second');
    await expect(client({ bucket: 'not-served' }).get('same-key.txt')).rejects.toMatchObject({ status: 404, code: 'NoSuchBucket' });
  });

  test('a wrong secret is SignatureDoesNotMatch, an unknown key InvalidAccessKeyId', async () => {
    await expect(client({ accessKeySecret: 'wrong' }).put('k.txt', Buffer.from('x'))).rejects.toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    await expect(client({ accessKeyId: 'LTAI-nobody' }).get('k.txt')).rejects.toMatchObject({ status: 403, code: 'InvalidAccessKeyId' });
    await expect(client().head('k.txt')).rejects.toMatchObject({ status: 404 });
  });

  test('STS credentials work until they expire', async () => {
    const issue = (at: Date) => issueStsCredentials({ sharedSecret: TEST_STS_SECRET, now: at, durationSec: 900, randomBytes });
    const fresh = issue(new Date());
    const sts = client({ accessKeyId: fresh.accessKeyId, accessKeySecret: fresh.accessKeySecret, stsToken: fresh.securityToken });
    await sts.put('sts/object.txt', Buffer.from('via sts'));
    expect((await sts.get('sts/object.txt')).content.toString()).toBe('via sts');

    const old = issue(new Date(Date.now() - 3600_000));
    const expired = client({ accessKeyId: old.accessKeyId, accessKeySecret: old.accessKeySecret, stsToken: old.securityToken });
    await expect(expired.get('sts/object.txt')).rejects.toMatchObject({ status: 403, code: 'SecurityTokenExpired' });
    const forged = client({ accessKeyId: fresh.accessKeyId, accessKeySecret: fresh.accessKeySecret, stsToken: `${fresh.securityToken.slice(0, -2)}xx` });
    await expect(forged.get('sts/object.txt')).rejects.toMatchObject({ status: 403, code: 'InvalidSecurityToken' });
  });

  test('presigned URLs: x-oss-process is signed and rendered, response-* overrides, expiry, tampering', async () => {
    const c = client();
    const bytes = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3a6' } }).jpeg().toBuffer();
    await c.put('img/p.jpg', bytes, { mime: 'image/jpeg' });
    const processed = await c.signatureUrlV4('GET', 600, { queries: { 'x-oss-process': 'image/resize,w_200' } }, 'img/p.jpg');
    const res = await fetch(processed);
    expect(res.status).toBe(200);
    expect(await sharp(Buffer.from(await res.arrayBuffer())).metadata()).toMatchObject({ format: 'jpeg', width: 200, height: 150 });

    const tampered = processed.replace('w_200', 'w_300');
    const denied = await fetch(tampered);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('content-type')).toBe('application/xml');
    expect(denied.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
    expect(await denied.text()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>SignatureDoesNotMatch<\/Code>.*<CanonicalRequest>GET\n\/family-album\/img\/p.jpg\n/s);

    const override = await c.signatureUrlV4('GET', 600, { queries: { 'response-content-disposition': 'attachment; filename="p.jpg"' } }, 'img/p.jpg');
    expect((await fetch(override)).headers.get('content-disposition')).toBe('attachment; filename="p.jpg"');

    const shortLived = await c.signatureUrlV4('GET', 60, {}, 'img/p.jpg');
    expect((await fetch(shortLived)).status).toBe(200);
    clockAheadMs = 62_000;
    try {
      const expired = await fetch(shortLived);
      expect(expired.status).toBe(403);
      expect(await expired.text()).toContain('<Code>AccessDenied</Code><Message>Request has expired.</Message>');
    } finally {
      clockAheadMs = 0;
    }
  });

  test('anonymous requests are refused; a missing object is NoSuchKey; ranges past the end are 416', async () => {
    const c = client();
    await c.put('r.bin', Buffer.alloc(100, 1));
    const anonymous = await fetch(`${oss.url}/r.bin`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
    await expect(c.get('no/such/key')).rejects.toMatchObject({ status: 404, code: 'NoSuchKey' });
    await expect(c.get('r.bin', null, { headers: { Range: 'bytes=100-' } })).rejects.toMatchObject({ status: 416, code: 'InvalidRange' });
    const suffix = await c.get('r.bin', null, { headers: { Range: 'bytes=-10' } });
    expect(suffix.res.headers['content-range']).toBe('bytes 90-99/100');
  });

  test('list with prefix and delimiter', async () => {
    const c = client({ bucket: TEST_SECOND_BUCKET });
    for (const key of ['list/a.txt', 'list/b/1.txt', 'list/b/2.txt', 'list/c.txt', 'other.txt']) await c.put(key, Buffer.from(key));
    const listed = await c.list({ prefix: 'list/', delimiter: '/', 'max-keys': 10 });
    expect(listed.objects?.map((o) => o.name)).toEqual(['list/a.txt', 'list/c.txt']);
    expect(listed.prefixes).toEqual(['list/b/']);
    expect(listed.objects?.[0].etag).toBe(`"${md5Upper(Buffer.from('list/a.txt'))}"`);
  });

  test('PUT with x-oss-forbid-overwrite keeps the existing object; a wrong Content-MD5 stores nothing', async () => {
    const c = client();
    await c.put('keep.txt', Buffer.from('original'));
    await expect(c.put('keep.txt', Buffer.from('replacement'), { headers: { 'x-oss-forbid-overwrite': 'true' } })).rejects.toMatchObject({
      status: 409,
      code: 'FileAlreadyExists',
    });
    expect((await c.get('keep.txt')).content.toString()).toBe('original');
    const badMd5 = createHash('md5').update('something else').digest('base64');
    await expect(c.put('digest.txt', Buffer.from('content'), { headers: { 'Content-MD5': badMd5 } })).rejects.toMatchObject({ status: 400, code: 'InvalidDigest' });
    await expect(c.head('digest.txt')).rejects.toMatchObject({ status: 404 });
    expect(await oss.tempFiles()).toEqual([]);
  });
});
