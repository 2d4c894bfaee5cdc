/**
 * The album API and its bucket, in memory: the one fake of the API the Mini Program talks to. The
 * utils' unit tests call it as a `RequestAPI`, with `onUpload` answering the fake wx's uploads;
 * the page tests reach the same routes through `createFakeCloud`'s `wx.request`. Its real twin is
 * the API over HTTP in test/integration (uploadPipeline, api). Test-only.
 */
import { LIMITS, ROUTES } from '../typings';
import type { AlbumPhotoView, AlbumView, CommitFailure, CommitPhotosRequest, FamilyView, HashCheckRequest, MemberView, OssUploadConfig, PhotoMeta } from '../typings/api';
import type { RequestAPI } from '../miniprogram/utils/request';
import { ApiRequestError } from '../miniprogram/utils/sendWxRequest';
import { familyRoute, meView, memberOf, type FakeInvite, type FakeMe, type FamilyState } from './fakeFamilyRoutes';
import type { FakeUploadCall } from './fakeWx';
import { policyFixture } from './fixtures';

export const FAKE_TOKEN = 'token-1';
const VIEW_HOST = 'https://family-album.oss.test';

export interface FakeAlbumApiOptions {
  families?: FamilyView[];
  albums?: AlbumView[];
  /** Photos already recorded; their objects are in the bucket and their hashes known to the family. */
  photos?: AlbumPhotoView[];
  /** The server's clock, epoch ms: when policies are signed. */
  now?: () => number;
  /** The caller (user 1, no nickname, by default). */
  me?: FakeMe;
  /** Members by family id, besides the caller (who is in each of `families` with its role). */
  members?: Record<number, MemberView[]>;
  /** Invite codes the API knows. */
  invites?: FakeInvite[];
}

export interface FakeAlbumApi {
  requestAPI: RequestAPI;
  /** One API call as the server sees it: `[status, body]`; `authorised` says whether the bearer token is valid. */
  route(method: string, path: string, query: URLSearchParams, body: any, authorised: boolean): [number, unknown];
  /** Answers the fake wx's uploads: stores the object (200), or 409 when the key exists. */
  onUpload: (call: FakeUploadCall) => void;
  families: FamilyView[];
  albums: AlbumView[];
  photos: AlbumPhotoView[];
  /** Objects in the bucket, by key → size (-1 when the upload did not say). */
  objects: Map<string, number>;
  /** Hashes the family already records (the 秒传 table), → their object key. */
  known: Map<string, string>;
  /**
   * Objects whose stored headers are not the product's own (someone else stored these bytes with
   * other headers): the next commit of one deletes it and answers `object_rejected`, as the API does.
   */
  tampered: Set<string>;
  calls: Array<{ method: string; path: string; data?: unknown; query?: unknown }>;
  hashChecks: HashCheckRequest[];
  commits: CommitPhotosRequest[];
  policies: OssUploadConfig[];
  me: FakeMe;
  members: Map<number, MemberView[]>;
  invites: Map<string, FakeInvite>;
  /** Hooks a test sets to fail or hold things. */
  script: {
    /** Replaces the default answer to an upload; return true when handled. */
    upload?: (call: FakeUploadCall, attempt: number) => boolean;
    hashCheck?: (n: number) => Error | undefined;
    commit?: (n: number) => Error | undefined;
    /** Commit items to refuse, by hash. */
    refuse?: Map<string, Omit<CommitFailure, 'index'>>;
  };
}

export function createFakeAlbumApi(options: FakeAlbumApiOptions = {}): FakeAlbumApi {
  const families = [...(options.families ?? [])];
  const albums = [...(options.albums ?? [])];
  const photos = [...(options.photos ?? [])];
  const objects = new Map<string, number>(photos.map((p) => [p.object_key, p.file_size]));
  const known = new Map<string, string>(photos.map((p) => [p.hash_value, p.object_key]));
  const tampered = new Set<string>();
  const calls: FakeAlbumApi['calls'] = [];
  const hashChecks: HashCheckRequest[] = [];
  const commits: CommitPhotosRequest[] = [];
  const policies: OssUploadConfig[] = [];
  const attempts = new Map<string, number>();
  const script: FakeAlbumApi['script'] = {};
  let nextId = 1000;
  const sharing: FamilyState = {
    me: { ...(options.me ?? { id: 1, nickname: null, avatar_key: null }) },
    families,
    albums,
    photos,
    objects,
    known,
    members: new Map(Object.entries(options.members ?? {}).map(([id, list]) => [Number(id), list.map((m) => ({ ...m }))])),
    invites: new Map((options.invites ?? []).map((i) => [i.code, { ...i }])),
    viewHost: VIEW_HOST,
    nextId: () => ++nextId,
  };
  for (const f of families) memberOf(sharing, f.id, f.role);

  const apiError = (status: number, code: string, message: string): [number, unknown] => [status, { error: { code, message } }];

  const recordPhoto = (meta: PhotoMeta, key: string): AlbumPhotoView => {
    const existing = photos.find((p) => p.album_id === meta.album_id && p.hash_value === meta.hash_value);
    if (existing) return existing;
    const photo: AlbumPhotoView = {
      id: ++nextId,
      album_id: meta.album_id,
      family_id: meta.family_id,
      file_name: meta.file_name,
      file_type: meta.file_type,
      file_size: meta.file_size,
      hash_value: meta.hash_value,
      object_key: key,
      creator_id: sharing.me.id,
      upload_time: meta.upload_time ?? '',
      created_at: '',
      url: `${VIEW_HOST}/${key}?signed`,
      thumbnail_url: `${VIEW_HOST}/${key}?x-oss-process=thumb&signed`,
      url_expires_at: '',
      uploaded_by: meView(sharing),
    };
    photos.push(photo);
    known.set(meta.hash_value, key);
    return photo;
  };

  function commit(body: CommitPhotosRequest): [number, unknown] {
    commits.push(body);
    const error = script.commit?.(commits.length);
    if (error) throw error;
    if (body.data.length > LIMITS.maxPhotosPerCommit) return apiError(400, 'invalid_request', `data: at most ${LIMITS.maxPhotosPerCommit}`);
    const committed: AlbumPhotoView[] = [];
    const failed: CommitFailure[] = [];
    body.data.forEach((item, index) => {
      const refusal = script.refuse?.get(item.hash_value);
      if (refusal) return void failed.push({ index, ...refusal });
      const key = known.get(item.hash_value) ?? item.object_key ?? '';
      if (tampered.delete(key)) {
        objects.delete(key);
        known.delete(item.hash_value);
        return void failed.push({ index, code: 'object_rejected', message: "the stored object's headers are not the product's own; it was removed, upload again" });
      }
      if (!known.has(item.hash_value) && !objects.has(key)) return void failed.push({ index, code: 'object_missing', message: 'the object has not been uploaded' });
      committed.push(recordPhoto(item, key));
    });
    return [200, { photos: committed, failed }];
  }

  function route(method: string, path: string, query: URLSearchParams, body: any, authorised: boolean): [number, unknown] {
    calls.push({ method, path, data: body, query: Object.fromEntries(query) });
    if (method === 'POST' && path === ROUTES.login) return [200, { token: FAKE_TOKEN, expires_at: '2999-01-01T00:00:00Z', user: { id: 1, openid: 'o-1' } }];
    if (!authorised) return apiError(401, 'unauthorized', 'log in first');
    const sharingAnswer = familyRoute(sharing, method, path, body);
    if (sharingAnswer) return sharingAnswer;
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === ROUTES.families) return [200, { families }];
    if (method === 'POST' && path === ROUTES.families) {
      const family: FamilyView = { id: families.length + 1, name: body.name, role: 'owner' };
      const album: AlbumView = { id: 100 + albums.length + 1, family_id: family.id, name: '家庭相册', is_default: true, created_at: '' };
      families.push(family);
      albums.push(album);
      memberOf(sharing, family.id, 'owner');
      return [201, { family, album }];
    }
    if ((m = /^\/families\/(\d+)\/albums$/.exec(path))) {
      const familyId = Number(m[1]);
      if (method === 'GET') return [200, { albums: albums.filter((a) => a.family_id === familyId) }];
      if (method === 'POST') {
        const album: AlbumView = { id: 100 + albums.length + 1, family_id: familyId, name: body.name, is_default: false, created_at: '' };
        albums.push(album);
        return [201, { album }];
      }
    }
    if (method === 'GET' && path === ROUTES.uploadSignature) {
      const policy = policyFixture({ familyId: Number(query.get('family_id')), tag: `p${policies.length + 1}`, signedAt: options.now?.() });
      policies.push(policy);
      return [200, policy];
    }
    if (method === 'POST' && path === ROUTES.hashCheck) {
      const request = body as HashCheckRequest;
      hashChecks.push(request);
      const error = script.hashCheck?.(hashChecks.length);
      if (error) throw error;
      if (request.hashes.length > LIMITS.maxHashesPerCheck) return apiError(400, 'invalid_request', `hashes: at most ${LIMITS.maxHashesPerCheck}`);
      const existing = request.hashes.filter((h) => known.has(h)).map((hash) => ({ hash, object_key: known.get(hash)!, file_size: Math.max(1, objects.get(known.get(hash)!) ?? 1) }));
      return [200, { existing }];
    }
    if (method === 'POST' && path === ROUTES.photos) return commit(body as CommitPhotosRequest);
    if (method === 'GET' && (m = /^\/albums\/(\d+)\/photos$/.exec(path))) {
      const cursor = query.get('cursor');
      const limit = Number(query.get('limit') ?? 30);
      const rows = photos.filter((p) => p.album_id === Number(m![1]) && (!cursor || p.id < Number(cursor))).sort((a, b) => b.id - a.id);
      const page = rows.slice(0, limit);
      return [200, { photos: page, next_cursor: rows.length > limit ? String(page[page.length - 1].id) : null }];
    }
    return apiError(404, 'not_found', `no route ${method} ${path}`);
  }

  const requestAPI = (async (o: { method: string; path: string; data?: unknown; query?: Record<string, string | number | undefined> }) => {
    const query = new URLSearchParams(Object.entries(o.query ?? {}).flatMap(([k, v]): Array<[string, string]> => (v === undefined ? [] : [[k, String(v)]])));
    const [status, answer] = route(o.method, o.path, query, o.data, true);
    if (status >= 400) {
      const { code, message } = (answer as { error: { code: string; message: string } }).error;
      throw new ApiRequestError(status, code, message);
    }
    return answer;
  }) as RequestAPI;

  const onUpload = (call: FakeUploadCall) => {
    const key = call.formData.key;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    if (script.upload?.(call, attempt)) return;
    if (objects.has(key)) return call.respond(409, '<Error><Code>FileAlreadyExists</Code><Message>exists</Message></Error>');
    objects.set(key, -1);
    call.respond(200);
  };

  return { requestAPI, route, onUpload, families, albums, photos, objects, known, tampered, calls, hashChecks, commits, policies, me: sharing.me, members: sharing.members, invites: sharing.invites, script };
}
