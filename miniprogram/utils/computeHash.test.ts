import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCancelToken, CancelledError } from './cancelToken';
import { computeHash, HashError, MAX_CHUNK_BYTES, type NativeDigestMemory } from './computeHash';
import { createFakeWx } from '../../testkit/fakeWx';

/** Range reads from real files, as `FileSystemManager.read` and `readFile({position, length})` do on a phone. */
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

describe('computeHash: spark-md5 over open + read, one reused buffer', () => {
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
  test.each(cases)('%s equals Node crypto MD5, reading ≤ 4 MB at a time into one buffer, descriptor closed', async (_label, size) => {
    const bytes = randomBytes(size);
    const path = join(dir, `f${size}`);
    writeFileSync(path, bytes);
    const fake = createFakeWx({ readRange });
    const progress: number[] = [];
    const hash = await computeHash({ path, size }, { wx: fake.wx, forceFallback: true, chunkBytes: 64 * 1024 * 1024, onProgress: (b, total) => (progress.push(b), expect(total).toBe(size)) });
    expect(hash).toBe(md5(bytes));
    expect(fake.readCalls.every((c) => c.api === 'read' && (c.length ?? Infinity) <= MAX_CHUNK_BYTES)).toBe(true);
    expect(fake.readCalls).toHaveLength(Math.ceil(size / MAX_CHUNK_BYTES));
    // Memory stays one chunk whatever the size: every read fills the same buffer.
    expect(new Set(fake.readBuffers).size).toBeLessThanOrEqual(1);
    expect([fake.opened.length, fake.openDescriptors]).toEqual([1, 0]);
    expect(progress[progress.length - 1]).toBe(size);
    expect(fake.canIUseAsked).toEqual([]);
  });

  test('small chunks give the same hash; progress climbs chunk by chunk', async () => {
    const bytes = randomBytes(1000);
    const path = join(dir, 'small');
    writeFileSync(path, bytes);
    const fake = createFakeWx({ readRange });
    const progress: number[] = [];
    await expect(computeHash({ path, size: 1000 }, { wx: fake.wx, forceFallback: true, chunkBytes: 300, onProgress: (b) => progress.push(b) })).resolves.toBe(md5(bytes));
    expect(fake.readCalls.map((c) => [c.position, c.length])).toEqual([
      [0, 300],
      [300, 300],
      [600, 300],
      [900, 100],
    ]);
    expect(progress).toEqual([0, 300, 600, 900, 1000]);
  });

  test('a file that cannot be opened, a failed read and a short file fail with a HashError, the descriptor closed', async () => {
    const fake = createFakeWx({ readRange, failRead: (path, position) => path.endsWith('flaky') && position >= 20 });
    await expect(computeHash({ path: join(dir, 'missing'), size: 10 }, { wx: fake.wx, forceFallback: true })).rejects.toBeInstanceOf(HashError);
    expect(fake.opened).toEqual([]);

    const flaky = join(dir, 'flaky');
    writeFileSync(flaky, randomBytes(100));
    await expect(computeHash({ path: flaky, size: 100 }, { wx: fake.wx, forceFallback: true, chunkBytes: 10 })).rejects.toMatchObject({ code: 'hash_failed', message: expect.stringContaining('read failed at byte 20') });
    expect(fake.openDescriptors).toBe(0);

    const short = join(dir, 'short');
    writeFileSync(short, Buffer.from('abc'));
    await expect(computeHash({ path: short, size: 10 }, { wx: fake.wx, forceFallback: true })).rejects.toMatchObject({ code: 'hash_failed', message: expect.stringContaining('byte 3 of 10') });
    expect([fake.opened.length, fake.openDescriptors]).toEqual([2, 0]);
  });

  test('cancelled between chunks, the descriptor closed', async () => {
    const path = join(dir, 'cancel');
    writeFileSync(path, randomBytes(100));
    const token = createCancelToken();
    const fake = createFakeWx({ readRange });
    const run = computeHash({ path, size: 100 }, { wx: fake.wx, forceFallback: true, chunkBytes: 10, cancel: token, onProgress: (b) => b >= 30 && token.cancel() });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(fake.readCalls).toHaveLength(3);
    expect([fake.opened.length, fake.openDescriptors]).toEqual([1, 0]);
  });

  test('without open/read (before base library 2.16.1), readFile range reads of the same size', async () => {
    const bytes = randomBytes(1000);
    const path = join(dir, 'old-client');
    writeFileSync(path, bytes);
    const fake = createFakeWx({ readRange, withoutDescriptors: true });
    await expect(computeHash({ path, size: 1000 }, { wx: fake.wx, forceFallback: true, chunkBytes: 400 })).resolves.toBe(md5(bytes));
    expect(fake.readCalls.map((c) => [c.api, c.position, c.length])).toEqual([
      ['readFile', 0, 400],
      ['readFile', 400, 400],
      ['readFile', 800, 200],
    ]);
    await expect(computeHash({ path: join(dir, 'missing'), size: 10 }, { wx: fake.wx, forceFallback: true })).rejects.toBeInstanceOf(HashError);
  });
});

describe('computeHash: the native digest, tried and remembered', () => {
  const bytes = Buffer.from('hello');
  const read = (_p: string, pos: number, len: number) => bytes.buffer.slice(bytes.byteOffset + pos, bytes.byteOffset + Math.min(bytes.length, pos + len)) as ArrayBuffer;

  test('an MD5 answer is taken, with no bytes read in JS and no canIUse asked; the run remembers it works', async () => {
    const fake = createFakeWx({ nativeDigest: () => 'D41D8CD98F00B204E9800998ECF8427E', readRange: read });
    const memory: NativeDigestMemory = {};
    await expect(computeHash({ path: 'p', size: 0 }, { wx: fake.wx, nativeDigest: memory })).resolves.toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(fake.canIUseAsked).toEqual([]);
    expect(fake.digestCalls).toEqual(['p']);
    expect(fake.readCalls).toEqual([]);
    expect(memory).toEqual({ works: true });
  });

  test.each([
    ['fails', () => undefined],
    ['answers something that is not an MD5', () => 'not-a-digest'],
  ])('a client whose digest %s is asked once per run: spark-md5 then, and for the next files', async (_label, nativeDigest) => {
    const fake = createFakeWx({ nativeDigest, readRange: read });
    const memory: NativeDigestMemory = {};
    for (const path of ['a', 'b', 'c']) await expect(computeHash({ path, size: 5 }, { wx: fake.wx, nativeDigest: memory })).resolves.toBe(md5(bytes));
    expect(fake.digestCalls).toEqual(['a']);
    expect(memory).toEqual({ works: false });
    expect(fake.readCalls.map((c) => c.filePath)).toEqual(['a', 'b', 'c']);
  });

  test('once it has worked, one file it fails for falls back alone and the run keeps the native digest', async () => {
    const fake = createFakeWx({ nativeDigest: (path) => (path === 'odd' ? undefined : 'ffffffffffffffffffffffffffffffff'), readRange: read });
    const memory: NativeDigestMemory = {};
    await expect(computeHash({ path: 'a', size: 5 }, { wx: fake.wx, nativeDigest: memory })).resolves.toBe('f'.repeat(32));
    await expect(computeHash({ path: 'odd', size: 5 }, { wx: fake.wx, nativeDigest: memory })).resolves.toBe(md5(bytes));
    await expect(computeHash({ path: 'b', size: 5 }, { wx: fake.wx, nativeDigest: memory })).resolves.toBe('f'.repeat(32));
    expect(fake.digestCalls).toEqual(['a', 'odd', 'b']);
    expect(memory).toEqual({ works: true });
  });

  test('forceFallback never asks', async () => {
    const fake = createFakeWx({ nativeDigest: () => 'ffffffffffffffffffffffffffffffff', readRange: read });
    await expect(computeHash({ path: 'p', size: 5 }, { wx: fake.wx, forceFallback: true })).resolves.toBe(md5(bytes));
    expect(fake.digestCalls).toEqual([]);
  });
});
