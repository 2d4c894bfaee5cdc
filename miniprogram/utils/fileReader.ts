import type { WxApi } from './types';

/** Reads the file's bytes from `position`, at most `length` of them (fewer only at its end). */
export type ReadChunk = (position: number, length: number) => Promise<ArrayBuffer>;

export interface FileReader {
  next: ReadChunk;
  close(): Promise<void>;
}

/** How a reader's failures are reported: each caller names them in its own terms (a hash, a part). */
export type ReadErrorFactory = (message: string, cause?: unknown) => Error;

type Fs = WechatMiniprogram.FileSystemManager;

function hasDescriptorReads(fs: Fs): boolean {
  const candidate = fs as Partial<Pick<Fs, 'open' | 'read' | 'close'>>;
  return typeof candidate.open === 'function' && typeof candidate.read === 'function' && typeof candidate.close === 'function';
}

/**
 * A reader of one local file: `FileSystemManager.open` + `read` where the client has them (base
 * library 2.16.1), `readFile`'s range reads before that (capped at 100 MB a file by WeChat).
 * The caller closes it, whatever happens.
 */
export async function openFileReader(wx: WxApi, filePath: string, makeError: ReadErrorFactory): Promise<FileReader> {
  const fs = wx.getFileSystemManager();
  return hasDescriptorReads(fs) ? openForReading(fs, filePath, makeError) : rangeReader(fs, filePath, makeError);
}

/**
 * `open` + `read` into one buffer, reused for every read: a 1 GiB video is read with one chunk in
 * memory (https://developers.weixin.qq.com/miniprogram/dev/api/file/FileSystemManager.read.html).
 * A chunk handed out is overwritten by the next read: use it (hash it, send it) before asking again.
 */
function openForReading(fs: Fs, filePath: string, makeError: ReadErrorFactory): Promise<FileReader> {
  return new Promise((resolve, reject) => {
    fs.open({
      filePath,
      flag: 'r',
      success: ({ fd }) => {
        let buffer: ArrayBuffer | undefined;
        resolve({
          next: (position, length) =>
            new Promise((resolveRead, rejectRead) => {
              if (!buffer || buffer.byteLength < length) buffer = new ArrayBuffer(length);
              fs.read({
                fd,
                arrayBuffer: buffer,
                offset: 0,
                length,
                position,
                success: (res) => {
                  const bytesRead = Number(res.bytesRead);
                  if (!Number.isInteger(bytesRead) || bytesRead < 0 || bytesRead > length) rejectRead(makeError(`read answered ${res.bytesRead} bytes for ${length}`));
                  else resolveRead(bytesRead === buffer!.byteLength ? buffer! : buffer!.slice(0, bytesRead));
                },
                fail: (err) => rejectRead(makeError(`read failed at byte ${position}: ${err?.errMsg ?? 'unknown error'}`, err)),
              });
            }),
          close: () =>
            new Promise<void>((done) => {
              // A descriptor that will not close is the platform's to reclaim: what was read stands either way.
              fs.close({ fd, success: () => done(), fail: () => done() });
            }),
        });
      },
      fail: (err) => reject(makeError(`open failed: ${err?.errMsg ?? 'unknown error'}`, err)),
    });
  });
}

/** `readFile` with `position`/`length`, for clients before open/read; nothing to close. */
function rangeReader(fs: Fs, filePath: string, makeError: ReadErrorFactory): FileReader {
  return {
    next: (position, length) =>
      new Promise((resolve, reject) => {
        fs.readFile({
          filePath,
          position,
          length,
          // No `encoding`: the data comes back as an ArrayBuffer.
          success: (res) => {
            const data = res.data as unknown;
            // Not `instanceof`: buffers may come from another realm (a test's Node fs, a worker).
            if (typeof data === 'string' || typeof (data as ArrayBuffer | undefined)?.byteLength !== 'number') {
              reject(makeError('readFile returned text, not an ArrayBuffer'));
              return;
            }
            resolve(data as ArrayBuffer);
          },
          fail: (err) => reject(makeError(`readFile failed at byte ${position}: ${err?.errMsg ?? 'unknown error'}`, err)),
        });
      }),
    close: async () => undefined,
  };
}
