/**
 * Bodies that never finish and disks that fill up (issue 11): a PUT or PostObject body that stalls
 * past the emulator's idle timeout is dropped with 400 RequestTimeout and its temp file removed; a
 * full disk (ENOSPC, injected) is 500 InternalError, never a 400, and leaves nothing behind. In
 * every case the object that was there stays as it was.
 */
import { randomBytes } from 'node:crypto';
import { signRequestHeaders, uriEncode } from '../../oss-signer';
import { diskFullAfter } from '../../testkit/diskFullAfter';
import { sendRawHttp } from '../../testkit/sendRawHttp';
import { ossErrorFields, signedOssFetch } from '../../testkit/signedOssFetch';
import { postForm, signedPostFields, startTestOssEmulator, TEST_ACCESS_KEY, TEST_BUCKET, TEST_REGION, TestOssEmulator } from '../../testkit/startTestOssEmulator';

const IDLE_TIMEOUT_MS = 300;

/** The head of a signed PUT announcing `declaredBytes`, then `sentBytes` of them: the rest never comes. */
function stalledPut(key: string, declaredBytes: number, sentBytes: Buffer): Buffer {
  const headers = signRequestHeaders({
    method: 'PUT',
    bucket: TEST_BUCKET,
    key,
    headers: { 'content-type': 'image/jpeg' },
    credentials: TEST_ACCESS_KEY,
    region: TEST_REGION,
    at: new Date(),
  });
  const lines = Object.entries({ ...headers, Host: '127.0.0.1', 'Content-Length': String(declaredBytes) }).map(([n, v]) => `${n}: ${v}`);
  return Buffer.concat([Buffer.from(`PUT /${TEST_BUCKET}/${uriEncode(key, true)} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`), sentBytes]);
}

/** A PostObject form whose file part starts and then stops. */
function stalledPost(key: string): Buffer {
  const boundary = '----stalled-form-boundary';
  const fields = signedPostFields({ key }).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(fields.join('') + fileHead), randomBytes(5000)]);
  const head = `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length + 100_000}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), body]);
}

async function objectBytes(oss: TestOssEmulator, key: string): Promise<Buffer | number> {
  const answer = await signedOssFetch(oss.url, { method: 'GET', key });
  return answer.status === 200 ? Buffer.from(await answer.arrayBuffer()) : answer.status;
}

describe(`a body that stalls for ${IDLE_TIMEOUT_MS} ms (the test's idle timeout)`, () => {
  let oss: TestOssEmulator;
  beforeAll(async () => {
    oss = await startTestOssEmulator({ bodyIdleTimeoutMs: IDLE_TIMEOUT_MS });
  });
  afterAll(() => oss.close());

  test('PUT: 400 RequestTimeout, connection closed, temp file gone, the old object intact', async () => {
    const key = 'families/7/stalled.jpg';
    const old = randomBytes(3000);
    expect((await signedOssFetch(oss.url, { method: 'PUT', key, body: old })).status).toBe(200);
    const writes = oss.emulator.stats().objectsWritten;

    const answer = await sendRawHttp(oss.port, stalledPut(key, 100_000, randomBytes(20_000)));
    expect(answer.status).toBe(400);
    expect(answer.headers.connection).toBe('close');
    expect(ossErrorFields(answer.body).code).toBe('RequestTimeout');

    expect(await oss.tempFiles()).toEqual([]);
    expect(oss.emulator.stats().objectsWritten).toBe(writes);
    expect(await objectBytes(oss, key)).toEqual(old);
  });

  test('PostObject: 400 RequestTimeout, temp file gone, nothing stored', async () => {
    const key = 'families/7/stalled-post.jpg';
    const writes = oss.emulator.stats().objectsWritten;
    const answer = await sendRawHttp(oss.port, stalledPost(key));
    expect(answer.status).toBe(400);
    expect(ossErrorFields(answer.body).code).toBe('RequestTimeout');
    expect(await oss.tempFiles()).toEqual([]);
    expect(oss.emulator.stats().objectsWritten).toBe(writes);
    expect(await objectBytes(oss, key)).toBe(404);
  });

  test('the emulator serves the next upload normally', async () => {
    const bytes = randomBytes(10_000);
    expect((await signedOssFetch(oss.url, { method: 'PUT', key: 'families/7/after.jpg', body: bytes })).status).toBe(200);
    expect(await objectBytes(oss, 'families/7/after.jpg')).toEqual(bytes);
  });
});

describe('a disk that fills up (ENOSPC after 64 KiB of a file)', () => {
  let oss: TestOssEmulator;
  beforeAll(async () => {
    oss = await startTestOssEmulator({ createWriteStream: diskFullAfter(64 * 1024) });
  });
  afterAll(() => oss.close());

  test('PUT: 500 InternalError, no temp file, the old object intact', async () => {
    const key = 'families/7/full.jpg';
    const old = randomBytes(1000);
    expect((await signedOssFetch(oss.url, { method: 'PUT', key, body: old })).status).toBe(200);
    const answer = await signedOssFetch(oss.url, { method: 'PUT', key, body: randomBytes(300_000) });
    expect(answer.status).toBe(500);
    expect(ossErrorFields(await answer.text()).code).toBe('InternalError');
    expect(await oss.tempFiles()).toEqual([]);
    expect(await objectBytes(oss, key)).toEqual(old);
  });

  test('PostObject: 500 InternalError (not MalformedPOSTRequest), no temp file, nothing stored', async () => {
    const key = 'families/7/full-post.jpg';
    const answer = await fetch(`${oss.url}/`, { method: 'POST', body: postForm(signedPostFields({ key }), { bytes: randomBytes(300_000) }) });
    expect(answer.status).toBe(500);
    expect(ossErrorFields(await answer.text()).code).toBe('InternalError');
    expect(await oss.tempFiles()).toEqual([]);
    expect(await objectBytes(oss, key)).toBe(404);
  });
});
