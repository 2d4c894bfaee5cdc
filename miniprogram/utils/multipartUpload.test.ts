import { MULTIPART } from '@family-album/contract';
import type { PhotoView } from '../../typings/api';
import { createFakeWx, type FakeRequestCall } from '../../testkit/fakeWx';
import { createCancelToken } from './cancelToken';
import { ApiRequestError } from './sendWxRequest';
import { listRecords, loadRecord, saveRecord, type MultipartRecord } from './multipartState';
import { MULTIPART_THRESHOLD_BYTES, partLength, uploadMultipart, type MultipartDeps, type MultipartOptions } from './multipartUpload';
import type { RequestAPI } from './request';
import { createTaskQueue } from './taskQueue';
import type { SelectedFile } from './types';

/** The smallest part OSS takes but the last: fast tests. */
const PART = 128 * 1024;
const HASH = 'a'.repeat(32);
const PATH = 'wxfile://tmp/VID_1.mp4';
/** 2.5 parts: two whole ones and a half one. */
const SIZE = 2.5 * PART;
const byteAt = (i: number) => (i * 7 + 3) % 251;
const fileBytes = (position: number, length: number) => {
  const out = new Uint8Array(Math.max(0, Math.min(length, SIZE - position)));
  for (let i = 0; i < out.length; i++) out[i] = byteAt(position + i);
  return out.buffer;
};
const file: SelectedFile = { path: PATH, name: 'VID_1.mp4', size: SIZE, sizeKb: SIZE / 1024, time: 0, type: 'video', hash: HASH };
const photo = { id: 7, object_key: `families/1/${HASH}.mp4`, hash_value: HASH } as PhotoView;

/** The API's multipart routes, as a test double that keeps what "OSS" holds (the parts PUT through the fake wx). */
function fakeApi(options: { held?: number[]; existing?: boolean; incompleteOnce?: number[] } = {}) {
  const held = new Set(options.held ?? []);
  const calls: Array<{ method: string; path: string; data?: unknown }> = [];
  let incompleteOnce = options.incompleteOnce;
  const requestAPI = (async (request: { method: string; path: string; data?: unknown }) => {
    calls.push(request);
    const { method, path } = request;
    if (method === 'POST' && path === '/uploads/multipart') {
      if (options.existing) return { existing: { hash: HASH, object_key: photo.object_key, file_size: SIZE } };
      return { upload_id: 'up1', key: photo.object_key, part_size: PART, part_count: 3, expires_at: '2099-01-01T00:00:00.000Z' };
    }
    if (method === 'GET' && path === '/uploads/multipart/up1') return { parts: [...held].map((n) => ({ part_number: n, etag: 'e', size: partLength(n, PART, SIZE) })) };
    if (method === 'POST' && path === '/uploads/multipart/up1/parts') {
      const numbers = (request.data as { part_numbers: number[] }).part_numbers;
      return { parts: numbers.map((n) => ({ part_number: n, url: `https://oss.test/v?partNumber=${n}&uploadId=up1`, expires_at: '2099-01-01T00:00:00.000Z' })) };
    }
    if (method === 'POST' && path === '/uploads/multipart/up1/complete') {
      if (incompleteOnce) {
        const missing = incompleteOnce;
        incompleteOnce = undefined;
        for (const n of missing) held.delete(n);
        throw new ApiRequestError(409, 'upload_incomplete', 'missing', { error: { code: 'upload_incomplete', details: { missing_parts: missing } } });
      }
      if (held.size !== 3) throw new ApiRequestError(409, 'upload_incomplete', 'missing', { error: { details: { missing_parts: [1, 2, 3].filter((n) => !held.has(n)) } } });
      return { photo };
    }
    if (method === 'DELETE' && path === '/uploads/multipart/up1') return '';
    throw new ApiRequestError(404, 'not_found', `${method} ${path}`);
  }) as RequestAPI;
  return { requestAPI, calls, held };
}

/** Jest's deep equality is slow on large typed arrays. */
const sameBytes = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
const partOf = (call: FakeRequestCall) => Number(new URL(call.url).searchParams.get('partNumber'));

function setup(answerPart: (call: FakeRequestCall, fake: ReturnType<typeof createFakeWx>) => void, api = fakeApi(), concurrency = 2) {
  let inFlight = 0;
  let maxInFlight = 0;
  const puts: FakeRequestCall[] = [];
  /** Each part's body as it was when sent (a worker's buffer is reused for its next part afterwards). */
  const sent = new Map<number, Uint8Array>();
  const fake = createFakeWx({
    canIUse: () => true,
    readRange: (p, position, length) => (p === PATH ? fileBytes(position, length) : undefined),
    onRequest: (call) => {
      puts.push(call);
      sent.set(partOf(call), new Uint8Array((call.data as ArrayBuffer).slice(0)));
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const { respond, fail } = call;
      call.respond = (status, data) => {
        inFlight--;
        if (status === 200) api.held.add(partOf(call));
        respond(status, data);
      };
      call.fail = (errMsg) => {
        inFlight--;
        fail(errMsg);
      };
      answerPart(call, fake);
    },
  });
  const deps: MultipartDeps = { wx: fake.wx, requestAPI: api.requestAPI, now: () => 0, slots: createTaskQueue({ concurrency }) };
  const bytes: number[] = [];
  const options: MultipartOptions = {
    partsInFlight: concurrency,
    retry: { maxAttempts: 3, random: () => 0, sleep: async () => undefined },
    timeoutMs: () => 60_000,
    onBytes: (b) => bytes.push(b),
  };
  return { fake, deps, options, api, puts, sent, bytes, maxInFlight: () => maxInFlight };
}

const input = { file, familyId: 1, albumId: 2, fileName: 'VID_1.mp4' };
const ok = (call: FakeRequestCall) => call.respond(200, '');

test('the threshold is two of the server’s parts: below it multipart only adds round trips', () => {
  expect(MULTIPART_THRESHOLD_BYTES).toBe(2 * MULTIPART.defaultPartBytes);
});

test('each part is read into a bounded buffer and PUT to its presigned URL with the signed content type; completion records the photo', async () => {
  const t = setup(ok);
  const outcome = await uploadMultipart(input, t.options, t.deps);
  expect(outcome).toEqual({ kind: 'uploaded', photo });
  expect(t.puts.map(partOf).sort()).toEqual([1, 2, 3]);
  for (const put of t.puts) {
    const n = partOf(put);
    expect(put.method).toBe('PUT');
    expect(put.header).toEqual({ 'content-type': MULTIPART.partContentType });
    expect(sameBytes(t.sent.get(n), new Uint8Array(fileBytes((n - 1) * PART, partLength(n, PART, SIZE))))).toBe(true);
  }
  expect(t.maxInFlight()).toBeLessThanOrEqual(2);
  // One descriptor (and one reused buffer) per part in flight, all closed.
  expect(t.fake.opened.length).toBeLessThanOrEqual(2);
  expect(t.fake.openDescriptors).toBe(0);
  expect(new Set(t.fake.readBuffers).size).toBeLessThanOrEqual(2);
  expect(t.api.calls.find((c) => c.path.endsWith('/complete'))?.data).toEqual({ album_id: 2, file_name: 'VID_1.mp4' });
  expect(t.bytes.at(-1)).toBe(SIZE);
  expect(loadRecord(t.fake.wx, HASH)).toBeUndefined();
});

test('a part whose connection is cut is retried on its own; the others go once', async () => {
  let cut = false;
  const t = setup((call) => {
    if (partOf(call) === 2 && !cut) {
      cut = true;
      call.fail('request:fail socket hang up');
    } else ok(call);
  });
  await expect(uploadMultipart(input, t.options, t.deps)).resolves.toMatchObject({ kind: 'uploaded' });
  expect(t.puts.map(partOf).sort()).toEqual([1, 2, 2, 3]);
});

test('while parts go out, the state is kept by hash with the parts acknowledged, for a resume after a restart', async () => {
  const records: MultipartRecord[] = [];
  const t = setup((call, fake) => {
    const record = loadRecord(fake.wx, HASH);
    if (record) records.push(record);
    ok(call);
  });
  await uploadMultipart(input, t.options, t.deps);
  expect(records[0]).toMatchObject({ hash: HASH, uploadId: 'up1', key: photo.object_key, partSize: PART, partCount: 3, fileName: 'VID_1.mp4', fileSize: SIZE, albumId: 2, familyId: 1 });
  expect(Math.max(...records.map((r) => r.doneParts.length))).toBeGreaterThanOrEqual(1);
});

test('a resume sends only the parts OSS does not hold, and progress starts from what it holds', async () => {
  const api = fakeApi({ held: [1, 3] });
  const t = setup(ok, api);
  saveRecord(t.fake.wx, { hash: HASH, uploadId: 'up1', key: photo.object_key, partSize: PART, partCount: 3, doneParts: [1, 3], fileName: 'VID_1.mp4', fileSize: SIZE, fileType: 'video', familyId: 1, albumId: 2, expiresAt: '2099-01-01T00:00:00.000Z', updatedAt: 0 });
  await expect(uploadMultipart(input, t.options, t.deps)).resolves.toMatchObject({ kind: 'uploaded' });
  expect(t.puts.map(partOf)).toEqual([2]);
  expect(t.bytes[0]).toBe(1.5 * PART);
  expect(listRecords(t.fake.wx, 0)).toEqual([]);
});

test('completion that names missing parts has them sent again, once', async () => {
  const t = setup(ok, fakeApi({ incompleteOnce: [2] }));
  await expect(uploadMultipart(input, t.options, t.deps)).resolves.toMatchObject({ kind: 'uploaded' });
  expect(t.puts.map(partOf).sort()).toEqual([1, 2, 2, 3]);
});

test('a hash the family already holds is 秒传: no part is read or sent', async () => {
  const t = setup(ok, fakeApi({ existing: true }));
  await expect(uploadMultipart(input, t.options, t.deps)).resolves.toEqual({ kind: 'existing', existing: { hash: HASH, object_key: photo.object_key, file_size: SIZE } });
  expect(t.puts).toEqual([]);
  expect(t.fake.opened).toEqual([]);
});

test('a part refused for good fails the file, stops its siblings and keeps the upload for a later resume', async () => {
  const t = setup((call) => (partOf(call) === 1 ? call.respond(400, '<Error><Code>InvalidArgument</Code><Message>bad</Message></Error>') : undefined));
  await expect(uploadMultipart(input, t.options, t.deps)).rejects.toMatchObject({ code: 'InvalidArgument', status: 400 });
  expect(t.fake.openDescriptors).toBe(0);
  expect(loadRecord(t.fake.wx, HASH)).toMatchObject({ uploadId: 'up1' });
});

test('cancel aborts the parts in flight, aborts the upload (DELETE), forgets it and closes the descriptors', async () => {
  const cancel = createCancelToken();
  const t = setup(() => {
    if (t.puts.length === 2) cancel.cancel();
  });
  await expect(uploadMultipart(input, { ...t.options, cancel }, { ...t.deps, slots: createTaskQueue({ concurrency: 2, cancel }) })).rejects.toMatchObject({ code: 'cancelled' });
  expect(t.api.calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/uploads/multipart/up1' });
  expect(loadRecord(t.fake.wx, HASH)).toBeUndefined();
  expect(t.fake.openDescriptors).toBe(0);
});

test('a cancel that keeps resumable work (the page went away) stops the parts but neither aborts nor forgets the upload', async () => {
  const cancel = createCancelToken();
  const t = setup(() => {
    if (t.puts.length === 2) cancel.cancel({ keepResumable: true });
  });
  await expect(uploadMultipart(input, { ...t.options, cancel }, { ...t.deps, slots: createTaskQueue({ concurrency: 2, cancel }) })).rejects.toMatchObject({ code: 'cancelled' });
  expect(t.api.calls.map((c) => c.method)).not.toContain('DELETE');
  expect(loadRecord(t.fake.wx, HASH)).toMatchObject({ uploadId: 'up1' });
  expect(t.fake.openDescriptors).toBe(0);
});

test('after its attempts a part that found no network waits for it to come back, then goes on by itself', async () => {
  let offline = true;
  let waits = 0;
  const t = setup((call) => (offline && partOf(call) === 3 ? call.fail('request:fail network is down') : ok(call)));
  const waitForNetwork = async () => {
    waits++;
    offline = false;
  };
  await expect(uploadMultipart(input, t.options, { ...t.deps, waitForNetwork })).resolves.toMatchObject({ kind: 'uploaded' });
  expect(waits).toBe(1);
  expect(t.puts.filter((c) => partOf(c) === 3)).toHaveLength(4);
});
