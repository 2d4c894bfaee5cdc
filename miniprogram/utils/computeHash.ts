import { ClientError } from './clientError';
import SparkMD5 from 'spark-md5';
import { throwIfCancelled } from './cancelToken';
import { openFileReader, type ReadChunk } from './fileReader';
import type { CancelToken, WxApi } from './types';

/** Reads stay at most this big, so memory stays bounded whatever the file's size. */
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
/**
 * Reads of 256 KiB keep the fallback's memory near 10 MB whatever the file size (4 MiB reads held
 * ~100 MB until the GC's external-memory threshold; `npm run bench`), at the same speed.
 */
export const DEFAULT_CHUNK_BYTES = 256 * 1024;

/**
 * What this app run has learned about the client's native digest: `true` once it answered an MD5,
 * `false` once it failed or answered something else before ever working. One per app run
 * (`services.ts`), so a client without it is asked once, not once per file.
 */
export interface NativeDigestMemory {
  works?: boolean;
}

export interface HashOptions {
  wx: WxApi;
  /** Bytes per read in the fallback; at most 4 MB. */
  chunkBytes?: number;
  onProgress?: (bytesHashed: number, bytesTotal: number) => void;
  /** Skip the native digest (the bench, or a client whose native digest is known to be wrong). */
  forceFallback?: boolean;
  /** Shared across calls to remember whether the native digest works; a fresh one asks again. */
  nativeDigest?: NativeDigestMemory;
  /** Checked between chunks: a cancelled batch stops hashing its big videos. */
  cancel?: CancelToken;
}

export class HashError extends ClientError {
  constructor(message: string, cause?: unknown) {
    super(0, 'hash_failed', message, cause, false);
  }
}

const MD5_HEX = /^[0-9a-f]{32}$/;

/**
 * Lower-case hex MD5 of a local file. The native digest (`getFileInfo` with `digestAlgorithm: 'md5'`)
 * is simply tried — no documented `canIUse` key says whether a client has it — and taken only when
 * it answers an MD5; otherwise the file is read in fixed-size pieces and hashed with spark-md5.
 */
export async function computeHash(file: { path: string; size: number }, options: HashOptions): Promise<string> {
  throwIfCancelled(options.cancel);
  const fs = options.wx.getFileSystemManager();
  const memory = options.nativeDigest ?? {};
  if (!options.forceFallback && memory.works !== false) {
    const digest = await nativeMd5(fs, file.path).catch(() => undefined);
    // Once it has worked, a failure is this file's, not the client's: the fallback reports it.
    if (memory.works === undefined || digest) memory.works = digest !== undefined;
    throwIfCancelled(options.cancel);
    if (digest) {
      options.onProgress?.(file.size, file.size);
      return digest;
    }
  }
  const chunkBytes = Math.max(1, Math.min(MAX_CHUNK_BYTES, Math.floor(options.chunkBytes ?? DEFAULT_CHUNK_BYTES)));
  // spark-md5 copies each chunk before the next read overwrites the reader's buffer.
  const read = await openFileReader(options.wx, file.path, (message, cause) => new HashError(message, cause));
  try {
    return await sparkMd5(read.next, file.size, chunkBytes, options);
  } finally {
    await read.close();
  }
}

function nativeMd5(fs: WechatMiniprogram.FileSystemManager, filePath: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    fs.getFileInfo({
      filePath,
      digestAlgorithm: 'md5',
      success: (res) => {
        const digest = typeof res.digest === 'string' ? res.digest.toLowerCase() : '';
        resolve(MD5_HEX.test(digest) ? digest : undefined);
      },
      fail: (err) => reject(new HashError(`getFileInfo failed: ${err?.errMsg ?? 'unknown error'}`, err)),
    });
  });
}

/** spark-md5 over reads of `chunkBytes`: one chunk in memory at a time. */
async function sparkMd5(read: ReadChunk, size: number, chunkBytes: number, options: HashOptions): Promise<string> {
  const spark = new SparkMD5.ArrayBuffer();
  let position = 0;
  options.onProgress?.(0, size);
  while (position < size) {
    throwIfCancelled(options.cancel);
    const length = Math.min(chunkBytes, size - position);
    let chunk = await read(position, length);
    if (chunk.byteLength > length) chunk = chunk.slice(0, length);
    if (chunk.byteLength === 0) throw new HashError(`the file ended at byte ${position} of ${size}`);
    spark.append(chunk);
    position += chunk.byteLength;
    options.onProgress?.(position, size);
  }
  return spark.end();
}
