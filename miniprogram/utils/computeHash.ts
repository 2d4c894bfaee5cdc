import { ClientError } from './clientError';
import SparkMD5 from 'spark-md5';
import { throwIfCancelled } from './cancelToken';
import { createTaskQueue } from './taskQueue';
import type { CancelToken, WxApi } from './types';

/**
 * What `wx.canIUse` is asked before hashing natively (`${class}.${method}.${param}.${option}`,
 * as in `CameraContext.onCameraFrame`). A wrong "yes" costs one failed call and then the fallback,
 * so the native answer is taken only when it looks like an MD5.
 */
export const NATIVE_MD5_SCHEMA = 'FileSystemManager.getFileInfo.object.digestAlgorithm';

/** Range reads stay at most this big, so memory stays bounded whatever the file's size. */
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
/**
 * Range reads of 256 KiB keep the fallback's memory near 10 MB whatever the file size (4 MiB
 * reads held ~100 MB until the GC's external-memory threshold; `npm run bench`), at the same speed.
 */
export const DEFAULT_CHUNK_BYTES = 256 * 1024;

export interface HashOptions {
  wx: WxApi;
  /** Bytes per range read in the fallback; at most 4 MB. */
  chunkBytes?: number;
  onProgress?: (bytesHashed: number, bytesTotal: number) => void;
  /** Skip the native digest (tests, or a client whose native digest is known to be wrong). */
  forceFallback?: boolean;
  /** Checked between chunks: a cancelled batch stops hashing its big videos. */
  cancel?: CancelToken;
}

export class HashError extends ClientError {
  constructor(message: string, cause?: unknown) {
    super(0, 'hash_failed', message, cause, false);
  }
}

const MD5_HEX = /^[0-9a-f]{32}$/;

/** Lower-case hex MD5 of a local file. */
export async function computeHash(file: { path: string; size: number }, options: HashOptions): Promise<string> {
  throwIfCancelled(options.cancel);
  const fs = options.wx.getFileSystemManager();
  if (!options.forceFallback && canHashNatively(options.wx)) {
    const digest = await nativeMd5(fs, file.path).catch(() => undefined);
    throwIfCancelled(options.cancel);
    if (digest) {
      options.onProgress?.(file.size, file.size);
      return digest;
    }
  }
  return sparkMd5(fs, file, options);
}

/** Hashes several files, at most `concurrency` (default 2: hashing is CPU-bound on one JS thread) at once; `onProgress` gets the sums. */
export async function computeHashes(files: readonly { path: string; size: number }[], options: HashOptions & { concurrency?: number }): Promise<string[]> {
  const queue = createTaskQueue({ concurrency: options.concurrency ?? 2, cancel: options.cancel });
  const hashed = files.map(() => 0);
  const bytesTotal = files.reduce((sum, f) => sum + f.size, 0);
  return Promise.all(
    files.map((file, index) =>
      queue.add(() =>
        computeHash(file, {
          ...options,
          onProgress: (bytes) => {
            hashed[index] = bytes;
            options.onProgress?.(
              hashed.reduce((sum, b) => sum + b, 0),
              bytesTotal,
            );
          },
        }),
      ),
    ),
  );
}

function canHashNatively(wx: WxApi): boolean {
  try {
    return wx.canIUse(NATIVE_MD5_SCHEMA) === true;
  } catch {
    return false;
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

function readRange(fs: WechatMiniprogram.FileSystemManager, filePath: string, position: number, length: number): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    fs.readFile({
      filePath,
      position,
      length,
      // No `encoding`: the data comes back as an ArrayBuffer.
      success: (res) => {
        const data = res.data as unknown;
        // Not `instanceof`: buffers may come from another realm (a test's Node fs, a worker).
        if (typeof data === 'string' || typeof (data as ArrayBuffer | undefined)?.byteLength !== 'number') {
          reject(new HashError('readFile returned text, not an ArrayBuffer'));
          return;
        }
        resolve(data as ArrayBuffer);
      },
      fail: (err) => reject(new HashError(`readFile failed at byte ${position}: ${err?.errMsg ?? 'unknown error'}`, err)),
    });
  });
}

/** spark-md5 over range reads: one chunk in memory at a time. */
async function sparkMd5(fs: WechatMiniprogram.FileSystemManager, file: { path: string; size: number }, options: HashOptions): Promise<string> {
  const chunkBytes = Math.max(1, Math.min(MAX_CHUNK_BYTES, Math.floor(options.chunkBytes ?? DEFAULT_CHUNK_BYTES)));
  const spark = new SparkMD5.ArrayBuffer();
  let position = 0;
  options.onProgress?.(0, file.size);
  while (position < file.size) {
    throwIfCancelled(options.cancel);
    const length = Math.min(chunkBytes, file.size - position);
    let chunk = await readRange(fs, file.path, position, length);
    if (chunk.byteLength > length) chunk = chunk.slice(0, length);
    if (chunk.byteLength === 0) throw new HashError(`the file ended at byte ${position} of ${file.size}`);
    spark.append(chunk);
    position += chunk.byteLength;
    options.onProgress?.(position, file.size);
  }
  return spark.end();
}
