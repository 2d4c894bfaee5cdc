import { accessSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { answerWxCall, WxFailure, type WxCallbacks } from './wxCall';

/**
 * The Mini Program's file system on disk: `wxfile://usr/…` (`wx.env.USER_DATA_PATH`) and
 * `wxfile://tmp/…` live under `dataDir`; DevTools' `http://usr/…` and `http://tmp/…` spellings are
 * read the same way. Other paths do not exist for the page, as on a phone.
 */
export interface VirtualFiles {
  readonly userDataPath: string;
  /** The disk path behind a Mini Program path; throws `<api>:fail` for paths the page cannot reach. */
  toDisk(api: string, filePath: string): string;
  /**
   * Wraps the real readers (they take disk paths; `read`/`close` take the descriptor `open` gave)
   * and adds the writers the host models.
   */
  fileSystemManager(readers: Pick<WechatMiniprogram.FileSystemManager, 'readFile' | 'getFileInfo' | 'open' | 'read' | 'close'>): WechatMiniprogram.FileSystemManager;
}

const ROOTS = [
  { prefix: /^wxfile:\/\/usr(\/|$)/, dir: 'usr' },
  { prefix: /^wxfile:\/\/tmp(\/|$)/, dir: 'tmp' },
  { prefix: /^http:\/\/usr(\/|$)/, dir: 'usr' },
  { prefix: /^http:\/\/tmp(\/|$)/, dir: 'tmp' },
];

const ENCODINGS: Record<string, BufferEncoding> = {
  utf8: 'utf8', 'utf-8': 'utf8', base64: 'base64', hex: 'hex', binary: 'latin1', latin1: 'latin1', ascii: 'ascii', ucs2: 'ucs2', 'ucs-2': 'ucs2', utf16le: 'utf16le', 'utf-16le': 'utf16le',
};

function encodingOf(api: string, encoding: string | undefined): BufferEncoding {
  const resolved = ENCODINGS[(encoding ?? 'utf8').toLowerCase()];
  if (!resolved) throw new WxFailure(api, `invalid encoding "${encoding}"`);
  return resolved;
}

function bytesOf(api: string, data: unknown, encoding: string | undefined): Buffer {
  if (typeof data === 'string') return Buffer.from(data, encodingOf(api, encoding));
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new WxFailure(api, 'data must be a string or an ArrayBuffer');
}

function diskError(api: string, filePath: string, err: unknown): WxFailure {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new WxFailure(api, `no such file or directory ${filePath}`, { errCode: 1300002 });
  if (code === 'EEXIST') return new WxFailure(api, `file already exists ${filePath}`, { errCode: 1301005 });
  return new WxFailure(api, (err as Error).message);
}

export function createVirtualFiles(dataDir: string): VirtualFiles {
  function toDisk(api: string, filePath: string): string {
    const root = ROOTS.find((r) => r.prefix.test(filePath));
    if (!root) throw new WxFailure(api, `no such file or directory ${filePath}`, { errCode: 1300002 });
    const base = path.join(dataDir, root.dir);
    const resolved = path.resolve(base, filePath.replace(root.prefix, ''));
    if (resolved !== base && !resolved.startsWith(base + path.sep)) throw new WxFailure(api, `permission denied ${filePath}`, { errCode: 1300013 });
    return resolved;
  }

  /** A sync FS method throws its failure; its async twin answers through callbacks or a promise. */
  function both<A extends unknown[], R>(name: string, run: (api: string, ...args: A) => R) {
    const sync = (...args: A): R => {
      try {
        return run(`${name}Sync`, ...args);
      } catch (err) {
        throw err instanceof WxFailure ? new Error(err.errMsg) : err;
      }
    };
    const async = (options: WxCallbacks & Record<string, unknown>, toArgs: (o: Record<string, unknown>) => A, toResult: (r: R) => object = () => ({})) =>
      answerWxCall(name, options, () => toResult(run(name, ...toArgs(options))));
    return { sync, async };
  }

  const write = both('writeFile', (api, filePath: string, data: unknown, encoding?: string) => {
    const disk = toDisk(api, filePath);
    try {
      writeFileSync(disk, bytesOf(api, data, encoding));
    } catch (err) {
      throw err instanceof WxFailure ? err : diskError(api, filePath, err);
    }
  });
  const read = both('readFile', (api, filePath: string, encoding?: string) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(toDisk(api, filePath));
    } catch (err) {
      throw err instanceof WxFailure ? err : diskError(api, filePath, err);
    }
    return encoding ? bytes.toString(encodingOf(api, encoding)) : new Uint8Array(bytes).buffer;
  });
  const access = both('access', (api, filePath: string) => {
    try {
      accessSync(toDisk(api, filePath));
    } catch (err) {
      throw err instanceof WxFailure ? err : diskError(api, filePath, err);
    }
  });
  const unlink = both('unlink', (api, filePath: string) => {
    try {
      unlinkSync(toDisk(api, filePath));
    } catch (err) {
      throw err instanceof WxFailure ? err : diskError(api, filePath, err);
    }
  });
  const mkdir = both('mkdir', (api, dirPath: string, recursive?: boolean) => {
    try {
      mkdirSync(toDisk(api, dirPath), { recursive: recursive === true });
    } catch (err) {
      throw err instanceof WxFailure ? err : diskError(api, dirPath, err);
    }
  });

  mkdirSync(path.join(dataDir, 'usr'), { recursive: true });
  mkdirSync(path.join(dataDir, 'tmp'), { recursive: true });

  return {
    userDataPath: 'wxfile://usr',
    toDisk,
    fileSystemManager(readers) {
      /** The real readers take disk paths; a path the page cannot reach fails as they would. */
      const onDisk = <O extends WxCallbacks & { filePath: string }>(api: string, reader: (o: O) => void) => (options: O) => {
        let disk: string;
        try {
          disk = toDisk(api, options.filePath);
        } catch (err) {
          return answerWxCall(api, options, () => Promise.reject(err));
        }
        return reader({ ...options, filePath: disk });
      };
      const methods: Record<string, unknown> = {
        readFile: onDisk('readFile', readers.readFile as (o: WxCallbacks & { filePath: string }) => void),
        getFileInfo: onDisk('getFileInfo', readers.getFileInfo as (o: WxCallbacks & { filePath: string }) => void),
        // How a large video is read part by part (multipart upload).
        open: onDisk('open', readers.open as (o: WxCallbacks & { filePath: string }) => void),
        read: (o: WechatMiniprogram.ReadOption) => readers.read(o),
        close: (o: WechatMiniprogram.FileSystemManagerCloseOption) => readers.close(o),
        readFileSync: read.sync,
        writeFileSync: write.sync,
        writeFile: (o: WxCallbacks & Record<string, unknown>) => write.async(o, (x) => [x.filePath as string, x.data, x.encoding as string | undefined]),
        accessSync: access.sync,
        access: (o: WxCallbacks & Record<string, unknown>) => access.async(o, (x) => [x.path as string]),
        unlinkSync: unlink.sync,
        unlink: (o: WxCallbacks & Record<string, unknown>) => unlink.async(o, (x) => [x.filePath as string]),
        mkdirSync: mkdir.sync,
        mkdir: (o: WxCallbacks & Record<string, unknown>) => mkdir.async(o, (x) => [x.dirPath as string, x.recursive as boolean | undefined]),
      };
      return new Proxy(methods, {
        get(target, name) {
          if (typeof name === 'string' && !(name in target)) throw new Error(`FileSystemManager.${name} is not modelled by the headless automator host`);
          return target[name as string];
        },
      }) as unknown as WechatMiniprogram.FileSystemManager;
    },
  };
}
