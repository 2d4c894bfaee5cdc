import type { AlbumPhotoView, AlbumView, FamilyView, OssUploadConfig, PhotoMeta } from '../typings/api';

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

const OSS_HOST = 'https://family-album.oss.test';
const TOKEN = 'token-1';

/**
 * The API, OSS and the phone's file system in memory, behind the `wx` methods the page and the
 * utils call. Requests answer on the next tick; uploads wait for the test (`uploads`), unless
 * `autoUpload` answers them at once.
 */
export function createFakeCloud(options: { families?: FamilyView[]; albums?: AlbumView[]; photos?: AlbumPhotoView[]; files?: FakeFile[] } = {}) {
  const families = [...(options.families ?? [])];
  const albums = [...(options.albums ?? [])];
  const photos = [...(options.photos ?? [])];
  const files = new Map((options.files ?? []).map((f) => [f.path, f]));
  /** Object key → size. */
  const objects = new Map<string, number>(photos.map((p) => [p.object_key, p.file_size]));
  const storage = new Map<string, unknown>();
  const requests: string[] = [];
  const uploads: FakeUpload[] = [];
  let nextId = 1000;
  let autoUpload: ((upload: FakeUpload) => void) | undefined;

  const albumPhoto = (meta: PhotoMeta, key: string): AlbumPhotoView => ({
    id: ++nextId,
    album_id: meta.album_id,
    family_id: meta.family_id,
    file_name: meta.file_name,
    file_type: meta.file_type,
    file_size: meta.file_size,
    hash_value: meta.hash_value,
    object_key: key,
    creator_id: 1,
    upload_time: meta.upload_time ?? '',
    created_at: '',
    url: `${OSS_HOST}/${key}?signed`,
    thumbnail_url: `${OSS_HOST}/${key}?x-oss-process=thumb&signed`,
    url_expires_at: '',
  });

  const policy = (familyId: number): OssUploadConfig => ({
    host: OSS_HOST,
    policy: 'cG9saWN5',
    signature: 'f'.repeat(64),
    credential: 'STS.x/20240101/cn-hangzhou/oss/aliyun_v4_request',
    date: '20240101T000000Z',
    security_token: 'sts-token',
    signature_version: 'OSS4-HMAC-SHA256',
    file_base_path: `families/${familyId}/`,
    expire_at: '2999-01-01T00:00:00.000Z',
    max_size: 1024 ** 3,
    success_action_status: '200',
    allowed_content_types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'video/mp4', 'video/quicktime', 'video/x-m4v', 'video/3gpp'],
  });

  /** The API's routes, as far as the page uses them; `[status, body]`. */
  function route(method: string, path: string, query: URLSearchParams, body: any, authorised: boolean): [number, unknown] {
    if (method === 'POST' && path === '/auth/login') return [200, { token: TOKEN, expires_at: '2999-01-01T00:00:00Z', user: { id: 1, openid: 'o-1' } }];
    if (!authorised) return [401, { error: { code: 'unauthorized', message: 'log in first' } }];
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/families') return [200, { families }];
    if (method === 'POST' && path === '/families') {
      const family: FamilyView = { id: families.length + 1, name: body.name, role: 'owner' };
      const album: AlbumView = { id: 100 + albums.length + 1, family_id: family.id, name: '家庭相册', is_default: true, created_at: '' };
      families.push(family);
      albums.push(album);
      return [201, { family, album }];
    }
    if (method === 'GET' && (m = /^\/families\/(\d+)\/albums$/.exec(path))) return [200, { albums: albums.filter((a) => a.family_id === Number(m![1])) }];
    if (method === 'GET' && path === '/families/oss/signature') return [200, policy(Number(query.get('family_id')))];
    if (method === 'POST' && path === '/photos/hash/check') {
      const prefix = `families/${body.family_id}/`;
      const existing = [...objects.entries()]
        .filter(([key]) => key.startsWith(prefix) && body.hashes.includes(key.slice(prefix.length).split('.')[0]))
        .map(([key, size]) => ({ hash: key.slice(prefix.length).split('.')[0], object_key: key, file_size: size }));
      return [200, { existing }];
    }
    if (method === 'POST' && path === '/photos') {
      const committed: AlbumPhotoView[] = [];
      const failed: { index: number; code: string; message: string }[] = [];
      (body.data as PhotoMeta[]).forEach((meta, index) => {
        const key = meta.object_key ?? '';
        if (objects.get(key) !== meta.file_size) {
          failed.push({ index, code: 'object_missing', message: 'no such object in OSS' });
          return;
        }
        const photo = photos.find((p) => p.album_id === meta.album_id && p.hash_value === meta.hash_value) ?? albumPhoto(meta, key);
        if (!photos.includes(photo)) photos.push(photo);
        committed.push(photo);
      });
      return [200, { photos: committed, failed }];
    }
    if (method === 'GET' && (m = /^\/albums\/(\d+)\/photos$/.exec(path))) {
      const cursor = query.get('cursor');
      const limit = Number(query.get('limit') ?? 30);
      const rows = photos
        .filter((p) => p.album_id === Number(m![1]) && (!cursor || p.id < Number(cursor)))
        .sort((a, b) => b.id - a.id);
      const page = rows.slice(0, limit);
      return [200, { photos: page, next_cursor: rows.length > limit ? String(page[page.length - 1].id) : null }];
    }
    return [404, { error: { code: 'not_found', message: `${method} ${path}` } }];
  }

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
      const method = o.method ?? 'GET';
      requests.push(`${method} ${url.pathname}`);
      const authorised = o.header?.Authorization === `Bearer ${TOKEN}`;
      later(() => {
        const [statusCode, data] = route(method, url.pathname, url.searchParams, o.data, authorised);
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
            objects.set(o.formData.key, size);
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
    requests,
    uploads,
    photos,
    objects,
    /** Answers every upload as soon as it starts (`succeed` unless `answer` says otherwise). */
    autoUpload(answer: (upload: FakeUpload) => void = (u) => u.succeed()) {
      autoUpload = answer;
    },
  };
}

export type FakeCloud = ReturnType<typeof createFakeCloud>;
