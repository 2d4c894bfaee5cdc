import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc64 } from 'crc64-ecma182.js';
import { diskFullAfter } from '../../testkit/diskFullAfter';
import { streamToTempFile } from './streamToTempFile';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stream-to-temp-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const chunked = (bytes: Buffer, size = 16 * 1024) => Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));

test('writes the bytes and hashes them on the way: MD5 and CRC-64 without reading the file back', async () => {
  const bytes = randomBytes(200_000);
  const temp = await streamToTempFile(chunked(bytes), dir);
  expect((await readFile(temp.path)).equals(bytes)).toBe(true);
  expect(temp).toMatchObject({ sizeBytes: bytes.length, crc64: crc64(bytes) });
});

test('a full disk (ENOSPC) rejects with the system error and leaves no file behind', async () => {
  const bytes = randomBytes(200_000);
  const failure = streamToTempFile(chunked(bytes), dir, { createWriteStream: diskFullAfter(50_000) });
  await expect(failure).rejects.toMatchObject({ code: 'ENOSPC', syscall: 'write' });
  expect(await readdir(dir)).toEqual([]);
});

test('a body that fails midway leaves no file behind', async () => {
  const source = new Readable({ read() {} });
  const written = streamToTempFile(source, dir);
  source.push(randomBytes(1000));
  setImmediate(() => source.destroy(new Error('body cut')));
  await expect(written).rejects.toThrow('body cut');
  expect(await readdir(dir)).toEqual([]);
});
