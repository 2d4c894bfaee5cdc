/**
 * CompleteMultipartUpload assembles the object by streaming its parts from disk: the emulator's
 * RSS may rise by a constant while 256 MiB of parts become one object, never by the object's size.
 * The parts are sent by a child process (presigned PUT URLs from our signer), so the RSS sampled
 * here is the emulator's alone. The bound is the one of ossEmulator.memory.test.ts, for the same
 * reason: V8 frees the 64 KiB read buffers only once ~32 MB of them wait.
 */
import { performance } from 'node:perf_hooks';
import { canonicalQuery, presignQuery, signRequestHeaders, uriEncode } from '../../oss-signer';
import { multipartEtag } from '../../localcloud/oss/multipart/multipartRules';
import { runNodeScript } from '../../testkit/runNodeScript';
import { startTestOssEmulator, TEST_ACCESS_KEY, TEST_BUCKET, TEST_REGION, TestOssEmulator } from '../../testkit/startTestOssEmulator';

const PART_BYTES = 64 * 1024 * 1024;
const PART_COUNT = 4;
const MAX_RSS_GROWTH_BYTES = 64 * 1024 * 1024;

/** PUTs each URL in turn with PART_BYTES of random data; prints each answer's status and ETag and the MD5 sent. */
const SENDER = `
const http = require('node:http');
const crypto = require('node:crypto');
const { urls, partBytes } = JSON.parse(process.argv[1]);
function send(url) {
  return new Promise((resolve) => {
    const chunk = crypto.randomBytes(1 << 20);
    const md5 = crypto.createHash('md5');
    const req = http.request(url, { method: 'PUT', headers: { 'Content-Length': partBytes } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, etag: res.headers.etag, md5: md5.digest('hex') }));
    });
    req.on('error', (err) => resolve({ error: err.message }));
    let sent = 0;
    (function pump() {
      while (sent < partBytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, partBytes - sent));
        md5.update(piece);
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end();
    })();
  });
}
(async () => {
  const parts = [];
  for (const url of urls) parts.push(await send(url));
  console.log(JSON.stringify(parts));
})();
`;

type SentPart = { status?: number; etag?: string; md5?: string; error?: string };

const runSender = (urls: string[]) => runNodeScript<SentPart[]>(SENDER, { urls, partBytes: PART_BYTES });

let oss: TestOssEmulator;
beforeAll(async () => {
  oss = await startTestOssEmulator();
});
afterAll(() => oss.close());

function signedFetch(method: string, key: string, query: Record<string, string>, body?: string): Promise<Response> {
  const headers = signRequestHeaders({
    credentials: TEST_ACCESS_KEY,
    region: TEST_REGION,
    at: new Date(),
    method,
    bucket: TEST_BUCKET,
    key,
    query,
    headers: { 'content-type': 'application/xml' },
  });
  return fetch(`${oss.url}/${TEST_BUCKET}/${uriEncode(key, true)}?${canonicalQuery(query)}`, { method, headers, body });
}

async function initiate(key: string): Promise<string> {
  const xml = await (await signedFetch('POST', key, { uploads: '' })).text();
  const uploadId = /<UploadId>([0-9A-F]{32})<\/UploadId>/.exec(xml)?.[1];
  if (!uploadId) throw new Error(`no upload id in ${xml}`);
  return uploadId;
}

const partUrl = (key: string, uploadId: string, partNumber: number) =>
  `${oss.url}/${TEST_BUCKET}/${uriEncode(key, true)}?${canonicalQuery(
    presignQuery({ credentials: TEST_ACCESS_KEY, region: TEST_REGION, bucket: TEST_BUCKET, key, method: 'PUT', at: new Date(), expiresInSec: 900, query: { partNumber: String(partNumber), uploadId } }),
  )}`;

const completeXml = (parts: Array<{ etag?: string }>) =>
  `<CompleteMultipartUpload>${parts.map((p, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${p.etag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;

test(`completing ${PART_COUNT} parts of ${PART_BYTES / 2 ** 20} MiB streams them into one object with flat memory`, async () => {
  // Warm the code paths first, so the baseline already holds what the first completion allocates.
  const warmId = await initiate('big/warm-up.bin');
  const warm = await fetch(partUrl('big/warm-up.bin', warmId, 1), { method: 'PUT', body: Buffer.alloc(1024) });
  expect((await signedFetch('POST', 'big/warm-up.bin', { uploadId: warmId }, completeXml([{ etag: warm.headers.get('etag') ?? '' }]))).status).toBe(200);

  const key = 'big/quarter-gib.bin';
  const uploadId = await initiate(key);
  const sent = await runSender(Array.from({ length: PART_COUNT }, (_, i) => partUrl(key, uploadId, i + 1)));
  expect(sent.map((p) => [p.status, p.etag])).toEqual(sent.map((p) => [200, `"${p.md5?.toUpperCase()}"`]));

  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  try {
    const completed = await signedFetch('POST', key, { uploadId }, completeXml(sent));
    const elapsedMs = performance.now() - started;
    expect(completed.status).toBe(200);
    await completed.text();
    const growth = peak - baseline;
    console.log(`complete ${PART_COUNT} × ${PART_BYTES / 2 ** 20} MiB: ${Math.round(elapsedMs)} ms, RSS growth ${(growth / 2 ** 20).toFixed(1)} MiB`);
    expect(completed.headers.get('etag')).toBe(`"${multipartEtag(sent.map((p) => p.md5 ?? ''))}"`);
    expect(growth).toBeLessThan(MAX_RSS_GROWTH_BYTES);
  } finally {
    clearInterval(sampler);
  }
  const head = await signedFetch('HEAD', key, {});
  expect(head.headers.get('content-length')).toBe(String(PART_COUNT * PART_BYTES));
  expect(head.headers.get('x-oss-object-type')).toBe('Multipart');
}, 120_000);
