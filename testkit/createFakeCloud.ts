import { createFakeAlbumApi, FAKE_TOKEN, type FakeAlbumApiOptions } from './fakeAlbumApi';

/** A picked file as the fake file system knows it. */
export interface FakeFile {
  path: string;
  size: number;
  /** Lower-case hex MD5, what `getFileInfo({digestAlgorithm:'md5'})` answers. */
  md5: string;
}

/** One `wx.uploadFile` the test drives: progress events, then an answer. */
export interface FakeUpload {
  key: string;
  filePath: string;
  formData: Record<string, string>;
  aborted: boolean;
  progress(percent: number): void;
  succeed(): void;
  /** OSS's XML error answer, e.g. 403 AccessDenied (not retryable). */
  refuse(status: number, code: string, message: string): void;
}

type Handler<T> = { success?: (res: T) => void; fail?: (err: { errMsg: string }) => void; complete?: () => void };
type RequestOptions = Handler<{ statusCode: number; data: unknown; header: Record<string, string>; errMsg: string }> & {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
};
type UploadOptions = Handler<{ statusCode: number; data: string; errMsg: string }> & { url: string; filePath: string; name: string; formData: Record<string, string> };

/**
 * The API, OSS and the phone's file system in memory, behind the `wx` methods the page and the
 * utils call: `wx.request` reaches the one fake album API (`createFakeAlbumApi`), `uploadFile` its
 * bucket. Requests answer on the next tick; uploads wait for the test (`uploads`), unless
 * `autoUpload` answers them at once.
 */
export function createFakeCloud(options: FakeAlbumApiOptions & { files?: FakeFile[] } = {}) {
  const api = createFakeAlbumApi(options);
  const files = new Map((options.files ?? []).map((f) => [f.path, f]));
  const storage = new Map<string, unknown>();
  const uploads: FakeUpload[] = [];
  let autoUpload: ((upload: FakeUpload) => void) | undefined;

  const later = (fn: () => void) => setTimeout(fn, 0);

  const wx = {
    canIUse: () => true,
    login: (o: Handler<{ code: string; errMsg: string }>) => later(() => o.success?.({ code: 'code-1', errMsg: 'login:ok' })),
    getStorageSync: (key: string) => storage.get(key) ?? '',
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    removeStorageSync: (key: string) => void storage.delete(key),
    getFileSystemManager: () => ({
      getFileInfo: (o: Handler<{ size: number; digest: string; errMsg: string }> & { filePath: string }) =>
        later(() => {
          const file = files.get(o.filePath);
          if (file) o.success?.({ size: file.size, digest: file.md5, errMsg: 'getFileInfo:ok' });
          else o.fail?.({ errMsg: `getFileInfo:fail no such file ${o.filePath}` });
        }),
    }),
    request: (o: RequestOptions) => {
      const url = new URL(o.url);
      // PATCH travels as a POST with the override header, as the real API reads it (server/src/http/methodOverride.ts).
      const method = o.method === 'POST' && o.header?.['X-HTTP-Method-Override'] === 'PATCH' ? 'PATCH' : (o.method ?? 'GET');
      const authorised = o.header?.Authorization === `Bearer ${FAKE_TOKEN}`;
      later(() => {
        const [statusCode, data] = api.route(method, url.pathname, url.searchParams, o.data, authorised);
        o.success?.({ statusCode, data: JSON.parse(JSON.stringify(data)), header: {}, errMsg: 'request:ok' });
      });
      return { abort: () => undefined };
    },
    uploadFile: (o: UploadOptions) => {
      let listener: ((e: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }) => void) | undefined;
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        later(fn);
      };
      const size = files.get(o.filePath)?.size ?? 0;
      const upload: FakeUpload = {
        key: o.formData.key,
        filePath: o.filePath,
        formData: o.formData,
        aborted: false,
        progress: (percent) => listener?.({ progress: percent, totalBytesSent: Math.floor((size * percent) / 100), totalBytesExpectedToSend: size }),
        succeed: () =>
          settle(() => {
            api.objects.set(o.formData.key, size);
            o.success?.({ statusCode: 200, data: '', errMsg: 'uploadFile:ok' });
          }),
        refuse: (status, code, message) =>
          settle(() => o.success?.({ statusCode: status, data: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`, errMsg: 'uploadFile:ok' })),
      };
      uploads.push(upload);
      if (autoUpload) later(() => autoUpload?.(upload));
      return {
        onProgressUpdate: (fn: typeof listener) => void (listener = fn),
        abort: () => {
          upload.aborted = true;
          settle(() => o.fail?.({ errMsg: 'uploadFile:fail abort' }));
        },
      };
    },
    previewMedia: () => undefined,
  };

  return {
    wx,
    api,
    /** `METHOD /path` of every API call, in order. */
    get requests() {
      return api.calls.map((c) => `${c.method} ${c.path}`);
    },
    uploads,
    photos: api.photos,
    objects: api.objects,
    /** Answers every upload as soon as it starts (`succeed` unless `answer` says otherwise). */
    autoUpload(answer: (upload: FakeUpload) => void = (u) => u.succeed()) {
      autoUpload = answer;
    },
  };
}

export type FakeCloud = ReturnType<typeof createFakeCloud>;
