/**
 * Fault injection of the OSS emulator, as retry tests and benchmarks use it: latency, injected
 * failures, cut connections and bandwidth caps, changed at run time. Bounds are loose lower bounds:
 * a slow machine only makes them truer.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { canonicalQuery, presignQuery, uriEncode } from '../../oss-signer';
import { NO_FAULTS } from '../../localcloud/oss';
import { postForm, signedPostFields, startTestOssEmulator, TEST_ACCESS_KEY, TEST_BUCKET, TEST_REGION, TestOssEmulator } from '../../testkit/startTestOssEmulator';

let oss: TestOssEmulator;
beforeAll(async () => {
  oss = await startTestOssEmulator();
});
afterEach(() => oss.emulator.setFaults(NO_FAULTS));
afterAll(() => oss.close());

const conditions = [{ bucket: TEST_BUCKET }, ['content-length-range', 0, 16 * 1024 * 1024] as ['content-length-range', number, number]];
const postObject = (key: string, bytes: Uint8Array) =>
  fetch(`${oss.url}/`, { method: 'POST', body: postForm(signedPostFields({ key, conditions }), { bytes }) });

function presigned(method: string, key: string): string {
  const query = presignQuery({ credentials: TEST_ACCESS_KEY, region: TEST_REGION, bucket: TEST_BUCKET, key, method, at: new Date(), expiresInSec: 300 });
  return `${oss.url}/${TEST_BUCKET}/${uriEncode(key, true)}?${canonicalQuery(query)}`;
}
const putObject = (key: string, bytes: Uint8Array) => fetch(presigned('PUT', key), { method: 'PUT', body: bytes });
const headStatus = async (key: string) => (await fetch(presigned('HEAD', key), { method: 'HEAD' })).status;

async function timed<T>(action: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await action();
  return { result, ms: performance.now() - started };
}

test('latency is added to every request', async () => {
  await putObject('latency.bin', Buffer.from('x'));
  oss.emulator.setFaults({ latencyMs: 300 });
  const head = await timed(() => headStatus('latency.bin'));
  expect(head.result).toBe(200);
  expect(head.ms).toBeGreaterThanOrEqual(295);
  const put = await timed(() => putObject('latency-2.bin', Buffer.from('y')));
  expect(put.result.status).toBe(200);
  expect(put.ms).toBeGreaterThanOrEqual(295);
});

test('failure rate 1 with status 503 answers an OSS error and stores nothing; 500 too', async () => {
  oss.emulator.setFaults({ failureRate: 1, failureStatus: 503 });
  const writes = oss.emulator.stats().objectsWritten;
  const posted = await postObject('fail/post.bin', randomBytes(200_000));
  expect(posted.status).toBe(503);
  expect(posted.headers.get('content-type')).toBe('application/xml');
  expect(await posted.text()).toContain('<Code>ServiceUnavailable</Code>');
  const put = await putObject('fail/put.bin', randomBytes(1000));
  expect(put.status).toBe(503);
  await put.arrayBuffer();
  oss.emulator.setFaults({ failureStatus: 500 });
  const internal = await postObject('fail/post.bin', randomBytes(10));
  expect([internal.status, await internal.text()]).toEqual([500, expect.stringContaining('<Code>InternalError</Code>')]);

  oss.emulator.setFaults({ failureRate: 0 });
  expect(await headStatus('fail/post.bin')).toBe(404);
  expect(await headStatus('fail/put.bin')).toBe(404);
  expect(oss.emulator.stats().objectsWritten).toBe(writes);
  expect(await oss.tempFiles()).toEqual([]);
});

test('the rates follow the injected random source', async () => {
  oss.emulator.setFaults({ failureRate: 0.4, random: () => 0.5 });
  expect((await postObject('dice/a.bin', Buffer.from('a'))).status).toBe(204);
  oss.emulator.setFaults({ random: () => 0.3 });
  expect((await postObject('dice/b.bin', Buffer.from('b'))).status).toBe(503);
});

test('cut rate 1 destroys the connection mid-body; nothing is stored', async () => {
  oss.emulator.setFaults({ cutRate: 1 });
  const writes = oss.emulator.stats().objectsWritten;
  await expect(postObject('cut/post.bin', randomBytes(2 * 1024 * 1024))).rejects.toThrow();
  await expect(putObject('cut/put.bin', randomBytes(2 * 1024 * 1024))).rejects.toThrow();
  oss.emulator.setFaults({ cutRate: 0 });
  expect(await headStatus('cut/post.bin')).toBe(404);
  expect(await headStatus('cut/put.bin')).toBe(404);
  expect(oss.emulator.stats().objectsWritten).toBe(writes);
  // The handlers clean up after the socket is gone; give them a moment to finish.
  for (let i = 0; i < 50 && (await oss.tempFiles()).length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await oss.tempFiles()).toEqual([]);
});

test('the link goes down after the bytes it was given: uploads in flight and later ones are cut, until it is set again', async () => {
  const MB = 1024 * 1024;
  oss.emulator.resetStats();
  oss.emulator.setFaults({ linkDownAfterBytes: 3 * MB });
  // Within the budget: stored whole.
  expect((await putObject('link/first.bin', randomBytes(2 * MB))).status).toBe(200);
  // This one would cross it: cut before its bytes pass the budget, nothing stored.
  await expect(putObject('link/crossing.bin', randomBytes(2 * MB))).rejects.toThrow();
  // The link stays down: a small upload that would fit the budget's rest is cut all the same.
  await expect(putObject('link/after.bin', randomBytes(1000))).rejects.toThrow();
  const stats = oss.emulator.stats();
  expect(stats.uploadsCut).toBe(2);
  expect(stats.objectsWritten).toBe(1);
  expect(stats.bytesReceived).toBeGreaterThanOrEqual(2 * MB);
  expect(stats.bytesReceived).toBeLessThanOrEqual(3 * MB);

  // Setting it again brings the link up with a fresh count.
  oss.emulator.setFaults({ linkDownAfterBytes: 3 * MB });
  expect((await putObject('link/again.bin', randomBytes(2 * MB))).status).toBe(200);
  oss.emulator.setFaults({ linkDownAfterBytes: 0 });
  expect((await putObject('link/up.bin', randomBytes(4 * MB))).status).toBe(200);
  expect(await headStatus('link/crossing.bin')).toBe(404);
  expect(await headStatus('link/after.bin')).toBe(404);
  for (let i = 0; i < 50 && (await oss.tempFiles()).length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await oss.tempFiles()).toEqual([]);
});

test('stall rate 1 leaves the upload unanswered until the client gives up; nothing is stored', async () => {
  oss.emulator.setFaults({ stallRate: 1 });
  const writes = oss.emulator.stats().objectsWritten;
  const started = performance.now();
  const stalled = fetch(`${oss.url}/`, { method: 'POST', body: postForm(signedPostFields({ key: 'stall/a.bin', conditions }), { bytes: randomBytes(1024) }), signal: AbortSignal.timeout(300) });
  await expect(stalled).rejects.toThrow(/timeout|aborted/i);
  expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  oss.emulator.setFaults({ stallRate: 0 });
  expect(await headStatus('stall/a.bin')).toBe(404);
  expect(oss.emulator.stats().objectsWritten).toBe(writes);
});

test('a bandwidth cap slows uploads down: 1 MB at 4 MB/s per connection takes >= ~200 ms', async () => {
  const bytes = randomBytes(1024 * 1024);
  const unthrottled = await timed(() => postObject('bw/fast.bin', bytes));
  expect(unthrottled.result.status).toBe(204);
  oss.emulator.setFaults({ bytesPerSecPerConnection: 4 * 1024 * 1024 });
  const throttled = await timed(() => postObject('bw/slow.bin', bytes));
  expect(throttled.result.status).toBe(204);
  expect(throttled.ms).toBeGreaterThanOrEqual(200);
  expect(throttled.ms).toBeGreaterThan(unthrottled.ms);
});

test('a total cap is shared: two 512 KB uploads at 4 MB/s together take >= ~200 ms', async () => {
  oss.emulator.setFaults({ bytesPerSecTotal: 4 * 1024 * 1024 });
  const both = await timed(() => Promise.all([postObject('bw/a.bin', randomBytes(512 * 1024)), postObject('bw/b.bin', randomBytes(512 * 1024))]));
  expect(both.result.map((r) => r.status)).toEqual([204, 204]);
  expect(both.ms).toBeGreaterThanOrEqual(200);
});

test('stats count requests, uploads and received file bytes; resetStats clears them', async () => {
  oss.emulator.resetStats();
  expect(oss.emulator.stats()).toEqual({ requests: 0, objectsWritten: 0, bytesReceived: 0, postObjects: 0, puts: 0, uploadParts: 0, uploadsCut: 0 });
  await postObject('stats/a.bin', Buffer.alloc(1000));
  await putObject('stats/b.bin', Buffer.alloc(500));
  await headStatus('stats/b.bin');
  expect(oss.emulator.stats()).toEqual({ requests: 3, objectsWritten: 2, bytesReceived: 1500, postObjects: 1, puts: 1, uploadParts: 0, uploadsCut: 0 });
});
