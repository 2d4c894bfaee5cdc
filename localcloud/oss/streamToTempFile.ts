import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream as fsCreateWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createCrc64 } from './createCrc64';
import { entityTooLarge } from './evaluatePolicyConditions';

/** Bytes in a temp file, ready to become an object. */
export interface StagedFile {
  path: string;
  sizeBytes: number;
  /** CRC-64/ECMA-182 of the bytes (decimal, as `x-oss-hash-crc64ecma`). */
  crc64: string;
}

export interface TempFile extends StagedFile {
  /** Lower-case hex MD5 of the bytes, computed while they streamed past (as was the CRC). */
  md5Hex: string;
}

/** Opens the temp file for writing; replaced in tests by one that fails like a full disk. */
export type CreateWriteStream = (path: string, options: { flags: string }) => Writable;

export interface StreamToTempOptions {
  /** More bytes than this aborts with EntityTooLarge (content-length-range). */
  maxBytes?: number;
  /** Called with every chunk size as it arrives (statistics). */
  onBytes?: (bytes: number) => void;
  createWriteStream?: CreateWriteStream;
}

/**
 * Streams a body to a fresh file in `tempDir`, hashing (MD5 and CRC-64) as it goes, so memory stays
 * flat and the file is never read back; backpressure from the disk reaches the socket through the
 * pipeline. On any failure (a body cut or stalled, a full disk) the partial file is removed before
 * the error is rethrown.
 */
export async function streamToTempFile(source: Readable, tempDir: string, options: StreamToTempOptions = {}): Promise<TempFile> {
  const md5 = createHash('md5');
  const crc64 = createCrc64();
  let sizeBytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sizeBytes += chunk.length;
      options.onBytes?.(chunk.length);
      if (options.maxBytes !== undefined && sizeBytes > options.maxBytes) {
        callback(entityTooLarge(options.maxBytes));
        return;
      }
      md5.update(chunk);
      crc64.update(chunk);
      callback(null, chunk);
    },
  });
  const path = await pipeToTempFile([source, meter], tempDir, options.createWriteStream);
  return { path, sizeBytes, md5Hex: md5.digest('hex'), crc64: crc64.digest() };
}

/** Copies bytes whose size and CRC are known already (a multipart upload's parts, each checked as it arrived) to a fresh temp file. */
export async function copyToTempFile(source: Readable, known: Omit<StagedFile, 'path'>, tempDir: string, createWriteStream?: CreateWriteStream): Promise<StagedFile> {
  return { path: await pipeToTempFile([source], tempDir, createWriteStream), ...known };
}

async function pipeToTempFile(streams: [Readable, ...Transform[]], tempDir: string, createWriteStream: CreateWriteStream = fsCreateWriteStream): Promise<string> {
  const path = join(tempDir, `${randomUUID()}.part`);
  const file = createWriteStream(path, { flags: 'wx' });
  try {
    await pipeline([...streams, file]);
  } catch (err) {
    // The file may still be opening; remove it only once the stream has let go of it.
    if (!file.closed) await once(file, 'close').catch(() => undefined);
    await rm(path, { force: true });
    throw err;
  }
  return path;
}
