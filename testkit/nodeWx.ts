import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import http, { IncomingMessage } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { WxApi } from '../miniprogram/utils/types';
import { createWxStorage } from './wxStorage';

/**
 * A Node implementation of the `wx` APIs the utils use (`WxApi`), with real I/O: `request` and
 * `uploadFile` are real HTTP (uploadFile a streamed multipart POST), the file system reads real
 * files. Callback shapes and errMsg texts follow WeChat's docs
 * (https://developers.weixin.qq.com/miniprogram/dev/api/network/upload/wx.uploadFile.html,
 * .../api/network/request/wx.request.html, .../api/file/FileSystemManager.readFile.html,
 * .../api/file/FileSystemManager.open.html, .../api/file/FileSystemManager.read.html).
 */

export interface NodeWxOptions {
  /** `wx.login` answers `test:<userName>`, which the WeChat emulator maps to openid `<userName>`. */
  userName?: string;
  /** Overrides `wx.canIUse`; `implemented` is what this Node wx would answer by itself. */
  canIUse?: (schema: string, implemented: boolean) => boolean;
  /** A client without `getFileInfo`'s `digestAlgorithm`: it answers size only, no digest. */
  withoutNativeDigest?: boolean;
  /** A client before base library 2.16.1: its FileSystemManager has no `open`/`read`/`close`. */
  withoutDescriptors?: boolean;
  /** WeChat's limit for one readFile (100 MB); smaller in tests that do not want a 100 MB file. */
  maxReadFileBytes?: number;
  /** Default `timeout` of request/uploadFile, ms (WeChat's networkTimeout default is 60 s). */
  defaultTimeoutMs?: number;
  /** wx storage kept in this file, so a "restarted app" (a new Node wx, even a new process) finds it; default: in memory. */
  storageFile?: string;
}

export interface HostStats {
  requestCalls: number;
  uploadCalls: number;
  /** Multipart body bytes written to the socket by uploadFile (framing included). */
  uploadBytes: number;
}

export interface NodeWxStats extends HostStats {
  /** Per URL host (`127.0.0.1:port`). */
  byHost: Record<string, HostStats>;
  /** Network tasks (request + uploadFile) running now, and the most at once. */
  inFlight: number;
  maxInFlight: number;
  readFileCalls: number;
  readFileBytes: number;
  /** `FileSystemManager.open`, `read` (and the bytes it read), `close`. */
  openCalls: number;
  readCalls: number;
  readBytes: number;
  closeCalls: number;
  /** Descriptors open now. */
  openDescriptors: number;
  getFileInfoCalls: number;
  loginCalls: number;
  canIUseQueries: string[];
}

export interface NodeWx extends WxApi {
  readonly stats: NodeWxStats;
  resetStats(): void;
  /** Drops kept-alive sockets. */
  close(): void;
}

type Callbacks = { success?: (res: any) => void; fail?: (err: any) => void; complete?: (res: any) => void };
type Outcome = { ok: true; value: Record<string, unknown> } | { ok: false; error: Record<string, unknown> & { errMsg: string } };

const MB = 1024 * 1024;
const IMPLEMENTED_APIS = new Set(['request', 'uploadFile', 'getFileSystemManager', 'canIUse', 'getStorageSync', 'setStorageSync', 'removeStorageSync', 'login', 'RequestTask', 'UploadTask', 'FileSystemManager']);
const DESCRIPTOR_METHODS = ['open', 'read', 'close'];
const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', heif: 'image/heif',
  mp4: 'video/mp4', mov: 'video/quicktime', m4v: 'video/x-m4v', '3gp': 'video/3gpp',
};
const NODE_ENCODING: Record<string, BufferEncoding> = { 'utf-8': 'utf8', 'ucs-2': 'ucs2', 'utf-16le': 'utf16le' };

/** success or fail, then complete — always asynchronously, as the platform does, and exactly once. */
function settle(callbacks: Callbacks, outcome: Outcome): void {
  setImmediate(() => {
    const result = outcome.ok ? outcome.value : outcome.error;
    try {
      if (outcome.ok) callbacks.success?.(result);
      else callbacks.fail?.(result);
    } finally {
      callbacks.complete?.(result);
    }
  });
}

function emptyHostStats(): HostStats {
  return { requestCalls: 0, uploadCalls: 0, uploadBytes: 0 };
}

function emptyStats(): NodeWxStats {
  return { ...emptyHostStats(), byHost: {}, inFlight: 0, maxInFlight: 0, readFileCalls: 0, readFileBytes: 0, openCalls: 0, readCalls: 0, readBytes: 0, closeCalls: 0, openDescriptors: 0, getFileInfoCalls: 0, loginCalls: 0, canIUseQueries: [] };
}

function lowerCaseKeys(header: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(header ?? {})) out[name.toLowerCase()] = String(value);
  return out;
}

/** wx turns object data into `encodeURIComponent(k)=encodeURIComponent(v)&…` for GET and form posts. */
function queryString(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** Response headers with the server's own spelling, as DevTools hands them over. */
function responseHeader(res: IncomingMessage): Record<string, string> {
  const header: Record<string, string> = {};
  for (let i = 0; i < res.rawHeaders.length; i += 2) header[res.rawHeaders[i]] = res.rawHeaders[i + 1];
  return header;
}

function fileError(api: string, err: unknown, filePath: string): Outcome {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { ok: false, error: { errMsg: `${api}:fail no such file or directory ${filePath}`, errCode: 1300002 } };
  if (code === 'EISDIR') return { ok: false, error: { errMsg: `${api}:fail Is a directory`, errCode: 1300021 } };
  return { ok: false, error: { errMsg: `${api}:fail ${(err as Error).message}`, errCode: 1300201 } };
}

export function createNodeWx(options: NodeWxOptions = {}): NodeWx {
  const userName = options.userName ?? 'tester';
  const maxReadFileBytes = options.maxReadFileBytes ?? 100 * MB;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 60_000;
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const storage = createWxStorage(options.storageFile);
  let stats = emptyStats();

  function hostStats(url: URL): HostStats {
    return (stats.byHost[url.host] ??= emptyHostStats());
  }
  function taskStarted(): () => void {
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let done = false;
    return () => {
      if (!done) stats.inFlight -= 1;
      done = true;
    };
  }
  function send(url: URL, method: string, headers: Record<string, string | number>) {
    const transport = url.protocol === 'https:' ? https : http;
    return transport.request(url, { method, headers, agent: url.protocol === 'https:' ? agents.https : agents.http });
  }

  function request(option: WechatMiniprogram.RequestOption): WechatMiniprogram.RequestTask {
    const headersListeners = new Set<(res: { header: Record<string, string>; statusCode: number }) => void>();
    let abort = () => {};
    const task = {
      abort: () => abort(),
      onHeadersReceived: (listener: any) => void headersListeners.add(listener),
      offHeadersReceived: (listener?: any) => (listener ? void headersListeners.delete(listener) : headersListeners.clear()),
      // enableChunked is not implemented: chunk listeners are accepted and never called.
      onChunkReceived: () => {},
      offChunkReceived: () => {},
    };
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      taskDone();
      settle(option, outcome);
    };
    const fail = (reason: string) => finish({ ok: false, error: { errMsg: `request:fail ${reason}` } });
    const taskDone = taskStarted();
    const timer = setTimeout(() => {
      fail('timeout');
      req?.destroy();
    }, option.timeout ?? defaultTimeoutMs);
    let req: http.ClientRequest | undefined;
    abort = () => {
      fail('abort');
      req?.destroy();
    };

    try {
      const method = (option.method ?? 'GET').toUpperCase();
      const headers: Record<string, string | number> = { 'content-type': 'application/json', ...lowerCaseKeys(option.header) };
      const url = new URL(option.url);
      let body: Buffer | undefined;
      const data = option.data;
      if (data !== undefined && data !== null) {
        if (method === 'GET') {
          const query = typeof data === 'string' ? data : data instanceof ArrayBuffer ? '' : queryString(data as Record<string, unknown>);
          if (query) url.search = url.search ? `${url.search}&${query}` : `?${query}`;
        } else if (data instanceof ArrayBuffer) {
          body = Buffer.from(data);
        } else if (typeof data === 'string') {
          body = Buffer.from(data);
        } else {
          const form = String(headers['content-type']).includes('application/x-www-form-urlencoded');
          body = Buffer.from(form ? queryString(data as Record<string, unknown>) : JSON.stringify(data));
        }
      }
      if (body) headers['content-length'] = body.length;
      hostStats(url).requestCalls += 1;
      stats.requestCalls += 1;
      req = send(url, method, headers);
      req.on('error', (err) => fail(err.message));
      req.on('response', (res) => {
        const header = responseHeader(res);
        for (const listener of headersListeners) listener({ header, statusCode: res.statusCode ?? 0 });
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => fail(err.message));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          let payload: unknown;
          if (option.responseType === 'arraybuffer') payload = new Uint8Array(bytes).buffer;
          else {
            payload = bytes.toString('utf8');
            if ((option.dataType ?? 'json') === 'json') {
              try {
                payload = JSON.parse(payload as string);
              } catch {
                // wx keeps the text when it is not JSON
              }
            }
          }
          finish({ ok: true, value: { data: payload, statusCode: res.statusCode, header, cookies: [], errMsg: 'request:ok' } });
        });
      });
      req.end(body);
    } catch (err) {
      fail((err as Error).message);
    }
    return task as unknown as WechatMiniprogram.RequestTask;
  }

  function uploadFile(option: WechatMiniprogram.UploadFileOption): WechatMiniprogram.UploadTask {
    const progressListeners = new Set<WechatMiniprogram.UploadTaskOnProgressUpdateCallback>();
    const headersListeners = new Set<(res: { header: Record<string, string> }) => void>();
    let settled = false;
    let req: http.ClientRequest | undefined;
    let fileStream: ReturnType<typeof createReadStream> | undefined;
    const taskDone = taskStarted();
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      taskDone();
      fileStream?.destroy();
      settle(option, outcome);
    };
    const fail = (reason: string) => {
      finish({ ok: false, error: { errMsg: `uploadFile:fail ${reason}` } });
      req?.destroy();
    };
    const timer = setTimeout(() => fail('timeout'), option.timeout ?? defaultTimeoutMs);
    const task = {
      abort: () => fail('abort'),
      onProgressUpdate: (listener: WechatMiniprogram.UploadTaskOnProgressUpdateCallback) => void progressListeners.add(listener),
      offProgressUpdate: (listener?: WechatMiniprogram.UploadTaskOnProgressUpdateCallback) => (listener ? void progressListeners.delete(listener) : progressListeners.clear()),
      onHeadersReceived: (listener: any) => void headersListeners.add(listener),
      offHeadersReceived: (listener?: any) => (listener ? void headersListeners.delete(listener) : headersListeners.clear()),
    };

    void (async () => {
      let url: URL;
      let fileSize: number;
      try {
        url = new URL(option.url);
        fileSize = (await stat(option.filePath)).size;
      } catch (err) {
        return fail((err as NodeJS.ErrnoException).code === 'ENOENT' ? `file not found ${option.filePath}` : (err as Error).message);
      }
      if (settled) return;
      const host = hostStats(url);
      host.uploadCalls += 1;
      stats.uploadCalls += 1;

      const boundary = `----NodeWxFormBoundary${randomBytes(12).toString('hex')}`;
      const fields = Object.entries(option.formData ?? {})
        .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${String(value)}\r\n`)
        .join('');
      const extension = path.extname(option.filePath).slice(1).toLowerCase();
      const filePartHead =
        `--${boundary}\r\nContent-Disposition: form-data; name="${option.name}"; filename="${path.basename(option.filePath)}"\r\n` +
        `Content-Type: ${MIME_BY_EXTENSION[extension] ?? 'application/octet-stream'}\r\n\r\n`;
      const head = Buffer.from(fields + filePartHead);
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const totalBytes = head.length + fileSize + tail.length;
      // WeChat forbids Referer and sets the multipart type itself.
      const headers: Record<string, string | number> = { ...lowerCaseKeys(option.header) };
      delete headers.referer;
      headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
      headers['content-length'] = totalBytes;

      let bytesSent = 0;
      let percentShown = -1;
      // Counted when a chunk has left for the socket; listeners hear whole-percent steps only, so a
      // 50 MB file makes ~100 events, not ~800.
      const written = (n: number) => {
        if (settled) return;
        bytesSent += n;
        host.uploadBytes += n;
        stats.uploadBytes += n;
        const percent = totalBytes === 0 ? 100 : Math.floor((bytesSent / totalBytes) * 100);
        if (percent === percentShown) return;
        percentShown = percent;
        const event = { progress: percent, totalBytesSent: bytesSent, totalBytesExpectedToSend: totalBytes };
        for (const listener of progressListeners) listener(event);
      };

      const request = send(url, 'POST', headers);
      req = request;
      let response: IncomingMessage | undefined;
      request.on('error', (err) => {
        // A server that answered before reading everything may reset the socket: its answer wins.
        if (!response) fail(err.message);
      });
      request.on('response', (res) => {
        response = res;
        const header = responseHeader(res);
        for (const listener of headersListeners) listener({ header });
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish({ ok: true, value: { data: Buffer.concat(chunks).toString('utf8'), statusCode: res.statusCode, header, errMsg: 'uploadFile:ok' } }));
        res.on('close', () => {
          if (!res.complete) fail('response interrupted');
        });
      });

      request.write(head, () => written(head.length));
      const stream = createReadStream(option.filePath, { highWaterMark: 256 * 1024 });
      fileStream = stream;
      stream.on('error', (err) => fail(err.message));
      stream.on('data', (chunk) => {
        const n = chunk.length;
        if (!request.write(chunk, () => written(n))) {
          stream.pause();
          request.once('drain', () => stream.resume());
        }
      });
      stream.on('end', () => request.end(tail, () => written(tail.length)));
    })();
    return task as unknown as WechatMiniprogram.UploadTask;
  }

  function readFile(option: WechatMiniprogram.ReadFileOption): void {
    stats.readFileCalls += 1;
    void (async () => {
      let handle;
      try {
        handle = await open(option.filePath, 'r');
        const info = await handle.stat();
        if (info.isDirectory()) throw Object.assign(new Error('Is a directory'), { code: 'EISDIR' });
        const size = info.size;
        const position = option.position ?? 0;
        // Valid ranges per the docs: position in [0, size-1], length in [1, size], [position, position+length) inside the file.
        if (option.position !== undefined && (!Number.isInteger(position) || position < 0 || position >= Math.max(size, 1))) {
          return settle(option, { ok: false, error: { errMsg: `readFile:fail the value of "position" is out of range`, errCode: 1301009 } });
        }
        const length = option.length ?? size - position;
        if (option.length !== undefined && (!Number.isInteger(length) || length < 1 || position + length > size)) {
          return settle(option, { ok: false, error: { errMsg: `readFile:fail the value of "length" is out of range`, errCode: 1301006 } });
        }
        if (length > maxReadFileBytes) {
          return settle(option, { ok: false, error: { errMsg: 'readFile:fail the maximum size of the file storage limit is exceeded', errCode: 1300202 } });
        }
        const bytes = new Uint8Array(length);
        let filled = 0;
        while (filled < length) {
          const { bytesRead } = await handle.read(bytes, filled, length - filled, position + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        stats.readFileBytes += filled;
        const data = option.encoding
          ? Buffer.from(bytes.buffer, 0, filled).toString(NODE_ENCODING[option.encoding] ?? (option.encoding as BufferEncoding))
          : filled === length ? bytes.buffer : bytes.buffer.slice(0, filled);
        settle(option, { ok: true, value: { data, errMsg: 'readFile:ok' } });
      } catch (err) {
        settle(option, fileError('readFile', err, option.filePath));
      } finally {
        await handle?.close();
      }
    })();
  }

  function getFileInfo(option: WechatMiniprogram.GetFileInfoOption): void {
    stats.getFileInfoCalls += 1;
    void (async () => {
      try {
        const info = await stat(option.filePath);
        if (info.isDirectory()) throw Object.assign(new Error('Is a directory'), { code: 'EISDIR' });
        // A client that does not know `digestAlgorithm` ignores it: size only.
        if (options.withoutNativeDigest) return settle(option, { ok: true, value: { size: info.size, errMsg: 'getFileInfo:ok' } });
        const hash = createHash(option.digestAlgorithm ?? 'md5');
        for await (const chunk of createReadStream(option.filePath, { highWaterMark: MB })) hash.update(chunk as Buffer);
        settle(option, { ok: true, value: { size: info.size, digest: hash.digest('hex'), errMsg: 'getFileInfo:ok' } });
      } catch (err) {
        settle(option, fileError('getFileInfo', err, option.filePath));
      }
    })();
  }

  /** Descriptors handed out by `open`, as WeChat's: strings. */
  const descriptors = new Map<string, FileHandle>();
  let nextDescriptor = 1;
  const countDescriptors = () => void (stats.openDescriptors = descriptors.size);

  /** Read-only: the utils open files only to read them. */
  function openFile(option: WechatMiniprogram.OpenOption): void {
    stats.openCalls += 1;
    void (async () => {
      if ((option.flag ?? 'r') !== 'r') return settle(option, { ok: false, error: { errMsg: `open:fail nodeWx opens files for reading only, not with flag ${option.flag}`, errCode: 1300001 } });
      let handle: FileHandle | undefined;
      try {
        handle = await open(option.filePath, 'r');
        if ((await handle.stat()).isDirectory()) throw Object.assign(new Error('Is a directory'), { code: 'EISDIR' });
        const fd = String(nextDescriptor++);
        descriptors.set(fd, handle);
        countDescriptors();
        settle(option, { ok: true, value: { fd, errMsg: 'open:ok' } });
      } catch (err) {
        await handle?.close();
        settle(option, fileError('open', err, option.filePath));
      }
    })();
  }

  function readDescriptor(option: WechatMiniprogram.ReadOption): void {
    stats.readCalls += 1;
    void (async () => {
      const handle = descriptors.get(option.fd);
      if (!handle) return settle(option, { ok: false, error: { errMsg: 'read:fail bad file descriptor', errCode: 1300009 } });
      const buffer = option.arrayBuffer as unknown;
      // Not `instanceof`: the buffer may come from another realm (Jest's sandbox).
      if (typeof (buffer as ArrayBuffer | undefined)?.byteLength !== 'number' || ArrayBuffer.isView(buffer)) {
        return settle(option, { ok: false, error: { errMsg: 'read:fail invalid arrayBuffer', errCode: 1300022 } });
      }
      const offset = option.offset ?? 0;
      const length = option.length ?? 0;
      if (!Number.isInteger(offset) || offset < 0 || offset > option.arrayBuffer.byteLength) {
        return settle(option, { ok: false, error: { errMsg: 'read:fail the value of "offset" is out of range', errCode: 1300022 } });
      }
      if (!Number.isInteger(length) || length < 0 || offset + length > option.arrayBuffer.byteLength) {
        return settle(option, { ok: false, error: { errMsg: 'read:fail the value of "length" is out of range', errCode: 1300022 } });
      }
      try {
        const { bytesRead } = await handle.read(new Uint8Array(option.arrayBuffer, offset, length), 0, length, option.position ?? null);
        stats.readBytes += bytesRead;
        settle(option, { ok: true, value: { bytesRead, arrayBuffer: option.arrayBuffer, errMsg: 'read:ok' } });
      } catch (err) {
        settle(option, { ok: false, error: { errMsg: `read:fail ${(err as Error).message}`, errCode: 1300005 } });
      }
    })();
  }

  function closeDescriptor(option: WechatMiniprogram.FileSystemManagerCloseOption): void {
    stats.closeCalls += 1;
    void (async () => {
      const handle = descriptors.get(option.fd);
      if (!handle) return settle(option, { ok: false, error: { errMsg: 'close:fail bad file descriptor', errCode: 1300009 } });
      descriptors.delete(option.fd);
      countDescriptors();
      await handle.close();
      settle(option, { ok: true, value: { errMsg: 'close:ok' } });
    })();
  }

  const fsMethods: Record<string, unknown> = { readFile, getFileInfo, ...(options.withoutDescriptors ? {} : { open: openFile, read: readDescriptor, close: closeDescriptor }) };
  const fileSystemManager = new Proxy(fsMethods, {
    get(target, name) {
      // What this client lacks (open/read/close before 2.16.1) is simply absent, as on a phone; the rest is not modelled.
      if (typeof name === 'string' && !(name in target)) {
        if (DESCRIPTOR_METHODS.includes(name)) return undefined;
        throw new Error(`nodeWx: FileSystemManager.${name} is not implemented`);
      }
      return target[name as string];
    },
  }) as unknown as WechatMiniprogram.FileSystemManager;

  function implemented(schema: string): boolean {
    const [api, member] = schema.split('.');
    if (!IMPLEMENTED_APIS.has(api)) return false;
    if ((api === 'FileSystemManager' || api === 'getFileSystemManager') && member !== undefined && member !== 'return') return member in fsMethods;
    return true;
  }

  function login(option: WechatMiniprogram.LoginOption = {}): Promise<unknown> | void {
    stats.loginCalls += 1;
    const value = { code: `test:${userName}`, errMsg: 'login:ok' };
    // Without callbacks wx's async APIs return a promise.
    if (!option.success && !option.fail && !option.complete) return new Promise((resolve) => setImmediate(() => resolve(value)));
    settle(option, { ok: true, value });
  }

  const wx = {
    request,
    uploadFile,
    getFileSystemManager: () => fileSystemManager,
    canIUse(schema: string) {
      stats.canIUseQueries.push(schema);
      const answer = implemented(schema);
      return options.canIUse ? options.canIUse(schema, answer) : answer;
    },
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync(key: string, data: unknown) {
      // WeChat: 1 MB per key.
      if (Buffer.byteLength(JSON.stringify(data) ?? '') > MB) throw new Error('setStorageSync:fail exceed storage item max length');
      storage.set(key, data);
    },
    removeStorageSync: (key: string) => void storage.delete(key),
    login,
    get stats() {
      return stats;
    },
    resetStats() {
      stats = { ...emptyStats(), inFlight: stats.inFlight, openDescriptors: descriptors.size };
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
  return wx as unknown as NodeWx;
}
