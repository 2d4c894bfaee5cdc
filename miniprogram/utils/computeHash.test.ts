import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCancelToken, CancelledError } from './cancelToken';
import { computeHash, computeHashes, HashError, MAX_CHUNK_BYTES, NATIVE_MD5_SCHEMA } from './computeHash';
import { createFakeWx } from '../../testkit/fakeWx';

/** Range reads from real files, as `FileSystemManager.readFile({position, length})` does on a phone. */
function readRange(filePath: string, position: number, length: number): ArrayBuffer | undefined {
  let fd: number;
  try {
    fd = openSync(filePath, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(length);
    const n = readSync(fd, buffer, 0, length, position);
    return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + n) as ArrayBuffer;
  } finally {
    closeSync(fd);
  }
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

describe('computeHash: spark-md5 over range reads', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, number]> = [
    ['0 bytes', 0],
    ['1 byte', 1],
    ['exactly one chunk', MAX_CHUNK_BYTES],
    ['one chunk + 1', MAX_CHUNK_BYTES + 1],
    ['50 MB', 50 * 1024 * 1024],
  ];
  test.each(cases)('%s equals Node crypto MD5, reading ≤ 4 MB at a time', async (_label, size) => {
    const bytes = randomBytes(size);
    const path = join(dir, `f${size}`);
    writeFileSync(path, bytes);
    const fake = createFakeWx({ readRange });
    const progress: number[] = [];
    const hash = await computeHash({ path, size }, { wx: fake.wx, forceFallback: true, chunkBytes: 64 * 1024 * 1024, onProgress: (b, total) => (progress.push(b), expect(total).toBe(size)) });
    expect(hash).toBe(md5(bytes));
    expect(fake.readCalls.every((c) => (c.length ?? Infinity) <= MAX_CHUNK_BYTES)).toBe(true);
    expect(fake.readCalls).toHaveLength(Math.ceil(size / MAX_CHUNK_BYTES));
    expect(progress[progress.length - 1]).toBe(size);
    expect(fake.canIUseAsked).toEqual([]);
  });

  test('small chunks give the same hash; progress climbs chunk by chunk', async () => {
    const bytes = randomBytes(1000);
    const path = join(dir, 'small');
    writeFileSync(path, bytes);
    const fake = createFakeWx({ readRange });
    const progress: number[] = [];
    await expect(computeHash({ path, size: 1000 }, { wx: fake.wx, chunkBytes: 300, onProgress: (b) => progress.push(b) })).resolves.toBe(md5(bytes));
    expect(fake.readCalls.map((c) => [c.position, c.length])).toEqual([
      [0, 300],
      [300, 300],
      [600, 300],
      [900, 100],
    ]);
    expect(progress).toEqual([0, 300, 600, 900, 1000]);
  });

  test('a failed read fails the hash with a HashError; a short file too', async () => {
    const fake = createFakeWx({ readRange });
    await expect(computeHash({ path: join(dir, 'missing'), size: 10 }, { wx: fake.wx })).rejects.toBeInstanceOf(HashError);
    const path = join(dir, 'short');
    writeFileSync(path, Buffer.from('abc'));
    await expect(computeHash({ path, size: 10 }, { wx: fake.wx })).rejects.toMatchObject({ code: 'hash_failed', message: expect.stringContaining('byte 3 of 10') });
  });

  test('cancelled between chunks', async () => {
    const path = join(dir, 'cancel');
    writeFileSync(path, randomBytes(100));
    const token = createCancelToken();
    const fake = createFakeWx({ readRange });
    const run = computeHash({ path, size: 100 }, { wx: fake.wx, chunkBytes: 10, cancel: token, onProgress: (b) => b >= 30 && token.cancel() });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(fake.readCalls).toHaveLength(3);
  });
});

describe('computeHash: the native digest', () => {
  test('used when wx.canIUse says so; no bytes read in JS', async () => {
    const fake = createFakeWx({ canIUse: (s) => s === NATIVE_MD5_SCHEMA, nativeDigest: () => 'D41D8CD98F00B204E9800998ECF8427E', readRange: () => new ArrayBuffer(0) });
    await expect(computeHash({ path: 'p', size: 0 }, { wx: fake.wx })).resolves.toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(fake.canIUseAsked).toEqual([NATIVE_MD5_SCHEMA]);
    expect(fake.digestCalls).toEqual(['p']);
    expect(fake.readCalls).toEqual([]);
  });

  test('not used when canIUse says no, or when forced off', async () => {
    const bytes = Buffer.from('hello');
    const fake = createFakeWx({ canIUse: () => false, nativeDigest: () => 'ffffffffffffffffffffffffffffffff', readRange: (_p, pos, len) => bytes.buffer.slice(bytes.byteOffset + pos, bytes.byteOffset + pos + len) as ArrayBuffer });
    await expect(computeHash({ path: 'p', size: 5 }, { wx: fake.wx })).resolves.toBe(md5(bytes));
    expect(fake.digestCalls).toEqual([]);
    const yes = createFakeWx({ canIUse: () => true, nativeDigest: () => 'ffffffffffffffffffffffffffffffff', readRange: (_p, pos, len) => bytes.buffer.slice(bytes.byteOffset + pos, bytes.byteOffset + pos + len) as ArrayBuffer });
    await expect(computeHash({ path: 'p', size: 5 }, { wx: yes.wx, forceFallback: true })).resolves.toBe(md5(bytes));
    expect(yes.digestCalls).toEqual([]);
  });

  test('falls back to spark-md5 when the native call fails or answers something that is not an MD5', async () => {
    const bytes = Buffer.from('hello');
    const read = (_p: string, pos: number, len: number) => bytes.buffer.slice(bytes.byteOffset + pos, bytes.byteOffset + pos + len) as ArrayBuffer;
    for (const nativeDigest of [() => undefined, () => 'not-a-digest']) {
      const fake = createFakeWx({ canIUse: () => true, nativeDigest, readRange: read });
      await expect(computeHash({ path: 'p', size: 5 }, { wx: fake.wx })).resolves.toBe(md5(bytes));
      expect(fake.digestCalls).toEqual(['p']);
      expect(fake.readCalls).toHaveLength(1);
    }
  });
});

describe('computeHashes', () => {
  test('several files, at most `concurrency` at once, results in order, summed progress', async () => {
    const contents = Array.from({ length: 5 }, (_, i) => Buffer.from(`file number ${i}`));
    const log: string[] = [];
    const fake = createFakeWx({
      readRange: (path, pos, len) => {
        log.push(path);
        const b = contents[Number(path)];
        return b.buffer.slice(b.byteOffset + pos, b.byteOffset + pos + len) as ArrayBuffer;
      },
    });
    const files = contents.map((b, i) => ({ path: String(i), size: b.length }));
    const total = files.reduce((s, f) => s + f.size, 0);
    let last = 0;
    const hashes = await computeHashes(files, { wx: fake.wx, chunkBytes: 2, concurrency: 2, onProgress: (b, t) => ((last = b), expect(t).toBe(total)) });
    expect(hashes).toEqual(contents.map(md5));
    expect(last).toBe(total);
    // Files are "open" from their first read to their last: at most two overlap, and two do.
    const spans = files.map((f) => [log.indexOf(f.path), log.lastIndexOf(f.path)]);
    const overlap = (k: number) => spans.filter(([a, b]) => a <= k && k <= b).length;
    const maxOverlap = Math.max(...log.map((_, k) => overlap(k)));
    expect(maxOverlap).toBe(2);
  });
});
