/**
 * The album API and the bucket, in memory, for the uploader's unit tests: a `RequestAPI` that
 * answers the signature, hash-check and commit routes as the server does, and an `onUpload` for
 * the fake `wx` that stores objects by key. Test-only.
 */
import type { CommitFailure, CommitPhotosRequest, HashCheckRequest, OssUploadConfig, PhotoView } from '../typings/api';
import type { RequestAPI } from '../miniprogram/utils/request';
import { ApiRequestError } from '../miniprogram/utils/sendWxRequest';
import type { FakeUploadCall } from './fakeWx';
import { photoFixture, policyFixture } from './fixtures';

export interface FakeAlbumApi {
  requestAPI: RequestAPI;
  /** Answers uploads: by default stores the object (200), or 409 when the key exists. */
  onUpload: (call: FakeUploadCall) => void;
  /** Hashes the family already holds, with their object keys. */
  known: Map<string, string>;
  /** Objects in the bucket. */
  stored: Set<string>;
  calls: Array<{ method: string; path: string; data?: unknown; query?: unknown }>;
  hashChecks: HashCheckRequest[];
  commits: CommitPhotosRequest[];
  policies: OssUploadConfig[];
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

export function createFakeAlbumApi(options: { familyId?: number; now?: () => number } = {}): FakeAlbumApi {
  const familyId = options.familyId ?? 7;
  const known = new Map<string, string>();
  const stored = new Set<string>();
  const calls: FakeAlbumApi['calls'] = [];
  const hashChecks: HashCheckRequest[] = [];
  const commits: CommitPhotosRequest[] = [];
  const policies: OssUploadConfig[] = [];
  const attempts = new Map<string, number>();
  const script: FakeAlbumApi['script'] = {};
  let nextPhotoId = 1;
  const photosByHash = new Map<string, PhotoView>();

  const requestAPI = (async (o: { method: string; path: string; data?: unknown; query?: Record<string, unknown> }) => {
    calls.push({ method: o.method, path: o.path, data: o.data, query: o.query });
    if (o.method === 'GET' && o.path === '/families/oss/signature') {
      const policy = policyFixture({ familyId, tag: `p${policies.length + 1}`, signedAt: options.now?.() });
      policies.push(policy);
      return policy;
    }
    if (o.method === 'POST' && o.path === '/photos/hash/check') {
      const body = o.data as HashCheckRequest;
      hashChecks.push(body);
      const error = script.hashCheck?.(hashChecks.length);
      if (error) throw error;
      if (body.hashes.length > 1000) throw new ApiRequestError(400, 'invalid_request', 'hashes: at most 1000');
      return { existing: body.hashes.filter((h) => known.has(h)).map((hash) => ({ hash, object_key: known.get(hash)!, file_size: 1 })) };
    }
    if (o.method === 'POST' && o.path === '/photos') {
      const body = o.data as CommitPhotosRequest;
      commits.push(body);
      const error = script.commit?.(commits.length);
      if (error) throw error;
      if (body.data.length > 100) throw new ApiRequestError(400, 'invalid_request', 'data: at most 100');
      const photos: PhotoView[] = [];
      const failed: CommitFailure[] = [];
      body.data.forEach((item, index) => {
        const refusal = script.refuse?.get(item.hash_value);
        if (refusal) return void failed.push({ index, ...refusal });
        const key = known.get(item.hash_value) ?? item.object_key;
        if (!key || (!known.has(item.hash_value) && !stored.has(key))) return void failed.push({ index, code: 'object_missing', message: 'the object has not been uploaded' });
        known.set(item.hash_value, key);
        const photo = photosByHash.get(item.hash_value) ?? photoFixture(nextPhotoId++, item.hash_value, { file_name: item.file_name, file_size: item.file_size, object_key: key });
        photosByHash.set(item.hash_value, photo);
        photos.push(photo);
      });
      return { photos, failed };
    }
    throw new ApiRequestError(404, 'not_found', `no route ${o.method} ${o.path}`);
  }) as RequestAPI;

  const onUpload = (call: FakeUploadCall) => {
    const key = call.formData.key;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    if (script.upload?.(call, attempt)) return;
    if (stored.has(key)) return call.respond(409, '<Error><Code>FileAlreadyExists</Code><Message>exists</Message></Error>');
    stored.add(key);
    call.respond(200);
  };

  return { requestAPI, onUpload, known, stored, calls, hashChecks, commits, policies, script };
}
