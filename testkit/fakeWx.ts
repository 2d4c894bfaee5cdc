/**
 * A small in-memory `wx` for the utils' unit tests: every call is recorded and answered by the
 * test, when the test chooses (controllable ordering, no real waiting). Test-only: nothing outside
 * `*.test.ts` may import it. It stays free of Node APIs so the Mini Program typecheck accepts it;
 * a test that wants real files passes `readRange` built on `fs`.
 */
import type { WxApi } from '../miniprogram/utils/types';

type Callbacks<S> = { success?: (res: S) => void; fail?: (err: { errMsg: string }) => void; complete?: (res: unknown) => void };

/** WeChat calls back asynchronously; so does the fake, after the current job. */
const later = (fn: () => void) => void Promise.resolve().then(fn);

function settle<S>(cb: Callbacks<S>, outcome: { ok: true; res: S } | { ok: false; errMsg: string }) {
  later(() => {
    if (outcome.ok) cb.success?.(outcome.res);
    else cb.fail?.({ errMsg: outcome.errMsg });
    cb.complete?.(outcome.ok ? outcome.res : { errMsg: outcome.errMsg });
  });
}

export interface FakeRequestCall {
  url: string;
  method: string;
  data: unknown;
  header: Record<string, string>;
  timeout?: number;
  respond(statusCode: number, data: unknown): void;
  fail(errMsg: string): void;
}

export interface FakeUploadCall {
  url: string;
  filePath: string;
  name: string;
  formData: Record<string, string>;
  timeout?: number;
  aborted: boolean;
  settled: boolean;
  progress(event: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }): void;
  respond(statusCode: number, data?: string): void;
  fail(errMsg: string): void;
}

export interface FakeWxOptions {
  /** Answers `wx.canIUse`; nothing is available by default. */
  canIUse?: (schema: string) => boolean;
  /** Bytes of a local file, for `open`+`read` and `readFile({position,length})`; undefined → "no such file". */
  readRange?: (filePath: string, position: number, length: number) => ArrayBuffer | undefined;
  /** A client before base library 2.16.1: its FileSystemManager has no `open`/`read`/`close`. */
  withoutDescriptors?: boolean;
  /** Fails `read` calls for which this answers true (by the file and the read's position). */
  failRead?: (filePath: string, position: number) => boolean;
  /** What native `getFileInfo({digestAlgorithm:'md5'})` answers; undefined → fail. */
  nativeDigest?: (filePath: string) => string | undefined;
  /** Called for each `wx.request`; answer through the call, now or later. */
  onRequest?: (call: FakeRequestCall) => void;
  /** Called for each `wx.uploadFile`; answer through the call, now or later. */
  onUpload?: (call: FakeUploadCall) => void;
  /** Codes `wx.login` hands out; undefined → fail. */
  loginCode?: () => string | undefined;
}

export interface FakeWx {
  wx: WxApi;
  requests: FakeRequestCall[];
  uploads: FakeUploadCall[];
  storage: Map<string, unknown>;
  canIUseAsked: string[];
  /** `readFile` and `read` calls, in order. */
  readCalls: Array<{ api: 'readFile' | 'read'; filePath: string; position?: number; length?: number }>;
  /** The buffers `read` was handed, in order (the same one, reused, for a whole file). */
  readBuffers: ArrayBuffer[];
  /** Descriptors opened, and those not closed yet. */
  opened: string[];
  readonly openDescriptors: number;
  digestCalls: string[];
  logins: number;
  /** Uploads started and not yet settled, now and at most. */
  readonly uploadsInFlight: number;
  readonly maxUploadsInFlight: number;
}

export function createFakeWx(options: FakeWxOptions = {}): FakeWx {
  const requests: FakeRequestCall[] = [];
  const uploads: FakeUploadCall[] = [];
  const storage = new Map<string, unknown>();
  const canIUseAsked: string[] = [];
  const readCalls: FakeWx['readCalls'] = [];
  const readBuffers: ArrayBuffer[] = [];
  const opened: string[] = [];
  const descriptors = new Map<string, string>();
  const digestCalls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let logins = 0;

  const descriptorApi = {
    open(o: { filePath: string; flag?: string } & Callbacks<{ fd: string; errMsg: string }>) {
      if (!options.readRange?.(o.filePath, 0, 0)) return settle(o, { ok: false, errMsg: `open:fail no such file or directory ${o.filePath}` });
      const fd = `fd${opened.length + 1}`;
      opened.push(fd);
      descriptors.set(fd, o.filePath);
      settle(o, { ok: true, res: { fd, errMsg: 'open:ok' } });
    },
    read(o: { fd: string; arrayBuffer: ArrayBuffer; offset?: number; length?: number; position?: number } & Callbacks<{ bytesRead: number; arrayBuffer: ArrayBuffer; errMsg: string }>) {
      const filePath = descriptors.get(o.fd);
      const offset = o.offset ?? 0;
      const length = o.length ?? 0;
      readCalls.push({ api: 'read', filePath: filePath ?? '', position: o.position, length });
      readBuffers.push(o.arrayBuffer);
      if (filePath === undefined) return settle(o, { ok: false, errMsg: 'read:fail bad file descriptor' });
      if (offset + length > o.arrayBuffer.byteLength) return settle(o, { ok: false, errMsg: 'read:fail the value of "length" is out of range' });
      if (options.failRead?.(filePath, o.position ?? 0)) return settle(o, { ok: false, errMsg: 'read:fail Input/output error' });
      const bytes = new Uint8Array(options.readRange?.(filePath, o.position ?? 0, length) ?? new ArrayBuffer(0));
      new Uint8Array(o.arrayBuffer, offset, bytes.byteLength).set(bytes);
      settle(o, { ok: true, res: { bytesRead: bytes.byteLength, arrayBuffer: o.arrayBuffer, errMsg: 'read:ok' } });
    },
    close(o: { fd: string } & Callbacks<{ errMsg: string }>) {
      if (!descriptors.delete(o.fd)) return settle(o, { ok: false, errMsg: 'close:fail bad file descriptor' });
      settle(o, { ok: true, res: { errMsg: 'close:ok' } });
    },
  };

  const fileSystemManager = {
    ...(options.withoutDescriptors ? {} : descriptorApi),
    readFile(o: { filePath: string; position?: number; length?: number; encoding?: string } & Callbacks<{ data: ArrayBuffer | string; errMsg: string }>) {
      readCalls.push({ api: 'readFile', filePath: o.filePath, position: o.position, length: o.length });
      const data = options.readRange?.(o.filePath, o.position ?? 0, o.length ?? Number.MAX_SAFE_INTEGER);
      if (!data) settle(o, { ok: false, errMsg: `readFile:fail no such file or directory ${o.filePath}` });
      else settle(o, { ok: true, res: { data, errMsg: 'readFile:ok' } });
    },
    getFileInfo(o: { filePath: string; digestAlgorithm?: string } & Callbacks<{ digest: string; size: number; errMsg: string }>) {
      digestCalls.push(o.filePath);
      const digest = options.nativeDigest?.(o.filePath);
      if (digest === undefined) settle(o, { ok: false, errMsg: 'getFileInfo:fail not supported' });
      else settle(o, { ok: true, res: { digest, size: 0, errMsg: 'getFileInfo:ok' } });
    },
  };

  const wx = {
    canIUse(schema: string) {
      canIUseAsked.push(schema);
      return options.canIUse?.(schema) ?? false;
    },
    getFileSystemManager: () => fileSystemManager,
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    removeStorageSync: (key: string) => void storage.delete(key),
    login(o: Callbacks<{ code: string; errMsg: string }>) {
      logins++;
      const code = options.loginCode?.();
      settle(o, code === undefined ? { ok: false, errMsg: 'login:fail' } : { ok: true, res: { code, errMsg: 'login:ok' } });
    },
    request(o: { url: string; method?: string; data?: unknown; header?: Record<string, string>; timeout?: number } & Callbacks<{ statusCode: number; data: unknown; header: object; errMsg: string }>) {
      let done = false;
      const call: FakeRequestCall = {
        url: o.url,
        method: o.method ?? 'GET',
        data: o.data,
        header: o.header ?? {},
        timeout: o.timeout,
        respond(statusCode, data) {
          if (done) return;
          done = true;
          settle(o, { ok: true, res: { statusCode, data, header: {}, errMsg: 'request:ok' } });
        },
        fail(errMsg) {
          if (done) return;
          done = true;
          settle(o, { ok: false, errMsg });
        },
      };
      requests.push(call);
      options.onRequest?.(call);
      return { abort: () => call.fail('request:fail abort') };
    },
    uploadFile(o: { url: string; filePath: string; name: string; formData?: Record<string, string>; timeout?: number } & Callbacks<{ statusCode: number; data: string; errMsg: string }>) {
      const listeners: Array<(e: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }) => void> = [];
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const end = () => {
        if (call.settled) return false;
        call.settled = true;
        inFlight--;
        return true;
      };
      const call: FakeUploadCall = {
        url: o.url,
        filePath: o.filePath,
        name: o.name,
        formData: o.formData ?? {},
        timeout: o.timeout,
        aborted: false,
        settled: false,
        // Android may report even after success: the fake lets a test do so.
        progress: (event) => listeners.forEach((l) => l(event)),
        respond(statusCode, data = '') {
          if (end()) settle(o, { ok: true, res: { statusCode, data, errMsg: 'uploadFile:ok' } });
        },
        fail(errMsg) {
          if (end()) settle(o, { ok: false, errMsg });
        },
      };
      uploads.push(call);
      options.onUpload?.(call);
      return {
        onProgressUpdate: (listener: (typeof listeners)[number]) => void listeners.push(listener),
        offProgressUpdate: () => undefined,
        abort() {
          call.aborted = true;
          call.fail('uploadFile:fail abort');
        },
      };
    },
  };

  return {
    wx: wx as unknown as WxApi,
    requests,
    uploads,
    storage,
    canIUseAsked,
    readCalls,
    readBuffers,
    opened,
    get openDescriptors() {
      return descriptors.size;
    },
    digestCalls,
    get logins() {
      return logins;
    },
    get uploadsInFlight() {
      return inFlight;
    },
    get maxUploadsInFlight() {
      return maxInFlight;
    },
  };
}
