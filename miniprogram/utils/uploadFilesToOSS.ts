import { objectKeyFor } from '@family-album/contract';
import type { ExistingObject, OssUploadConfig, PhotoMeta, PhotoView } from '../../typings/api';
import type { CommitFailureCode } from '../../typings/errorCodes';
import { CancelledError, raceCancel } from './cancelToken';
import { checkHashes } from './checkHashes';
import { commitName, commitPhotos, photoMetaFor, type CommitOutcome } from './commitPhotos';
import { computeHash, type NativeDigestMemory } from './computeHash';
import { describeError } from './describeError';
import { contentTypeOf, extensionOf } from './fileFilter';
import { createPolicyProvider } from './getOssUploadPolicy';
import { MULTIPART_THRESHOLD_BYTES, uploadMultipart } from './multipartUpload';
import { OssPostError, PolicyExpiredError, postObject } from './ossPostObject';
import { bytesFromUploadEvent, createProgressReporter, initialProgress, withBytes, withState } from './progress';
import type { RequestAPI } from './request';
import { withRetry, type RetryOptions } from './retryPolicy';
import { createTaskQueue } from './taskQueue';
import type { BatchProgress, CancelToken, SelectedFile, UploadResult, UploadState, WxApi } from './types';

export interface UploadOptions {
  familyId: number;
  albumId: number;
  /** Uploads (and parts) at once; default 6, at most 8 (WeChat runs 10 network tasks in all: leave room for API calls). */
  concurrency?: number;
  /** Attempts per upload and per API call, the first included; default 4. */
  maxAttempts?: number;
  /** Per upload; by default 60 s plus 1 s per 50 KB, so a big video on a slow line is not cut off. */
  timeoutMs?: number;
  onProgress?: (progress: BatchProgress) => void;
  cancel?: CancelToken;
}

export interface UploaderDeps {
  wx: WxApi;
  requestAPI: RequestAPI;
  /** Epoch ms. */
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Whether the client's native MD5 works, as learned so far this app run; a batch without one learns for itself. */
  nativeDigest?: NativeDigestMemory;
  /** Resolves when the network is back or the app is in the foreground again: parts of a large file wait for it instead of failing. */
  waitForNetwork?: () => Promise<void>;
  /** A repeating timer (`setInterval`), for the smooth progress of parts in flight. */
  every?: (ms: number, fn: () => void) => () => void;
}

/**
 * Six, not four: on the bench's phone link (2.5 MB/s a connection, 10 MB/s in all) four connections
 * only fill the link while every one is sending, so each gap between two uploads (a round trip, a
 * read) left bandwidth unused — 30 photos took 1.18–1.20× the link limit with four, 1.09× with six.
 * Six parts of a large file hold 24 MiB; four tasks stay for API calls.
 */
export const DEFAULT_UPLOAD_CONCURRENCY = 6;
export const MAX_UPLOAD_CONCURRENCY = 8;
export const HASH_CONCURRENCY = 2;
export const DEFAULT_MAX_ATTEMPTS = 4;

const MD5_HEX = /^[0-9a-f]{32}$/;

/** The commit's answer for an object the server refused and deleted: worth one more upload. */
const REUPLOAD_ONCE_CODE: CommitFailureCode = 'object_rejected';

export function defaultTimeoutMs(sizeBytes: number): number {
  return 60_000 + Math.ceil(sizeBytes / 50);
}

/** Files with the same bytes travel together: uploaded once, recorded once, one result each. */
interface Group {
  hash: string;
  indices: number[];
  /** Set once the bytes are in OSS (uploaded now, or known to the family already). */
  objectKey?: string;
  instant?: boolean;
  /** Set when the upload's completion recorded it already (multipart). */
  photo?: PhotoView;
}

/**
 * The whole upload of a selection: hash what has no hash, ask once which hashes the family already
 * has (those are 秒传 and never uploaded), upload the rest straight to OSS through a bounded pool
 * with retries, then record everything with one commit per 100. One result per file, in selection
 * order; a file that fails fails alone.
 */
export async function uploadFilesToOSS(files: readonly SelectedFile[], options: UploadOptions, deps: UploaderDeps): Promise<UploadResult[]> {
  const { cancel } = options;
  const current = files.map((f) => ({ ...f, hash: f.hash.toLowerCase() }));
  const results: Array<UploadResult | undefined> = files.map(() => undefined);
  const retry: RetryOptions = { maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, random: deps.random, sleep: deps.sleep, cancel };
  const ids = { familyId: options.familyId, albumId: options.albumId };

  let progress = initialProgress(current.map((f) => f.size));
  const report = createProgressReporter({ onProgress: options.onProgress, now: deps.now });
  const setState = (indices: readonly number[], state: UploadState) => {
    for (const i of indices) progress = withState(progress, i, state);
    report(progress, true);
  };
  const setBytes = (indices: readonly number[], bytes: (i: number) => number) => {
    for (const i of indices) progress = withBytes(progress, i, bytes(i));
    report(progress);
  };
  const fail = (indices: readonly number[], error: unknown) => {
    const cancelled = error instanceof CancelledError || cancel?.cancelled === true;
    const { code, reason } = cancelled ? { code: 'cancelled', reason: 'the upload was cancelled' } : describeError(error);
    for (const i of indices) results[i] ??= { status: 'failed', file: current[i], code, reason };
    setState(indices, cancelled ? 'cancelled' : 'failed');
  };
  const pending = () => current.flatMap((_, i) => (results[i] ? [] : [i]));
  const finish = (): UploadResult[] => {
    const left = pending();
    if (left.length) fail(left, cancel?.cancelled ? new CancelledError() : new Error('the upload ended without a result'));
    report(progress, true);
    return results as UploadResult[];
  };

  report(progress, true);

  // 1. Hash, a couple at a time: it is CPU on the one JS thread (or the native digest's I/O).
  for (const [i, f] of current.entries()) if (f.hash && !MD5_HEX.test(f.hash)) current[i] = { ...f, hash: '' };
  const toHash = pending().filter((i) => !current[i].hash);
  setState(toHash, 'hashing');
  const hashQueue = createTaskQueue({ concurrency: HASH_CONCURRENCY, cancel });
  const nativeDigest = deps.nativeDigest ?? {};
  await Promise.all(
    toHash.map((i) =>
      hashQueue
        .add(() => computeHash(current[i], { wx: deps.wx, cancel, nativeDigest }))
        .then(
          (hash) => {
            current[i] = { ...current[i], hash };
            setState([i], 'checking');
          },
          (error) => fail([i], error),
        ),
    ),
  );
  if (cancel?.cancelled) return finish();

  const groups = new Map<string, Group>();
  for (const i of pending()) {
    const hash = current[i].hash;
    const group = groups.get(hash);
    if (group) group.indices.push(i);
    else groups.set(hash, { hash, indices: [i] });
  }
  setState(pending(), 'checking');

  // 2. One question for the whole selection. Without an answer, upload everything: 秒传 only saves time.
  let known = new Map<string, ExistingObject>();
  try {
    known = await raceCancel(checkHashes([...groups.keys()], { requestAPI: deps.requestAPI, familyId: options.familyId, retry }), cancel);
  } catch {
    if (cancel?.cancelled) return finish();
  }

  // 3. Upload what the family does not have, each distinct file once.
  setState([...groups.values()].flatMap((g) => (known.has(g.hash) ? [] : g.indices)), 'waiting');
  const policies = createPolicyProvider({ requestAPI: deps.requestAPI, familyId: options.familyId, albumId: options.albumId, now: deps.now });
  const concurrency = Math.min(MAX_UPLOAD_CONCURRENCY, Math.max(1, options.concurrency ?? DEFAULT_UPLOAD_CONCURRENCY));
  // The one limiter of network tasks to OSS: each photo's PostObject and each part PUT of a large
  // file take a slot, so together they stay within WeChat's 10 tasks and leave room for API calls.
  const uploads = createTaskQueue({ concurrency, cancel });
  // Large files send their parts one at a time: one already fills every slot, and each holds parts
  // in flight × part size of memory. Photos take the slots its parts leave.
  const sendingTurns = createTaskQueue({ concurrency: 1, cancel });
  // Largest first: a long video picked last would otherwise run alone at the end, at one connection's speed.
  const bySizeDescending = [...groups.values()].sort((a, b) => current[b.indices[0]].size - current[a.indices[0]].size);
  await Promise.all(
    bySizeDescending.map(async (group) => {
      const existing = known.get(group.hash);
      if (existing) {
        group.objectKey = existing.object_key;
        group.instant = true;
        setBytes(group.indices, (i) => current[i].size);
        setState(group.indices, 'committing');
        return;
      }
      try {
        await transfer(group);
        setState(group.indices, 'committing');
      } catch (error) {
        fail(group.indices, error);
      }
    }),
  );
  if (cancel?.cancelled) return finish();

  // 4. Record: instant ones too (the server finds them by hash), new ones at their key.
  const ready = [...groups.values()].filter((g) => g.objectKey !== undefined && !g.photo && !results[g.indices[0]]);
  const outcomes = new Map<Group, CommitOutcome>();
  const record = async (batch: readonly Group[]) => {
    const items: PhotoMeta[] = batch.map((g) => {
      const leader = current[g.indices[0]];
      return photoMetaFor(leader, ids, g.objectKey!, extensionOf(leader));
    });
    (await commitPhotos(items, { requestAPI: deps.requestAPI, retry })).forEach((outcome, k) => outcomes.set(batch[k], outcome));
  };
  await record(ready);

  // 5. `object_rejected`: the object's stored headers were not the product's own (someone else stored
  // these bytes with other headers) and the server deleted it. Upload it again — it may have been
  // 秒传 — and record it again, once: a second refusal stands.
  const rejected = ready.filter((g) => {
    const outcome = outcomes.get(g);
    return outcome !== undefined && !outcome.ok && outcome.code === REUPLOAD_ONCE_CODE;
  });
  if (rejected.length > 0 && !cancel?.cancelled) {
    const uploadedAgain: Group[] = [];
    await Promise.all(
      rejected.map(async (group) => {
        group.instant = false;
        setState(group.indices, 'waiting');
        try {
          await transfer(group);
          setState(group.indices, 'committing');
          if (!group.photo) uploadedAgain.push(group);
        } catch (error) {
          fail(group.indices, error);
        }
      }),
    );
    await record(uploadedAgain);
  }

  for (const group of groups.values()) {
    if (results[group.indices[0]] || group.objectKey === undefined) continue;
    if (group.photo) {
      for (const i of group.indices) results[i] = { status: 'uploaded', file: current[i], photo: group.photo };
      setState(group.indices, 'uploaded');
      continue;
    }
    const outcome = outcomes.get(group);
    if (!outcome?.ok) {
      fail(group.indices, outcome ? Object.assign(new Error(outcome.reason), { code: outcome.code }) : new Error('no commit outcome'));
      continue;
    }
    const status = group.instant ? 'instant' : 'uploaded';
    for (const i of group.indices) results[i] = { status, file: current[i], photo: outcome.photo };
    setState(group.indices, status);
  }
  return finish();

  /**
   * One file's bytes to OSS: a large one in parts (its completion records it, or it turns out to be
   * 秒传 after all), any other as one PostObject.
   */
  async function transfer(group: Group): Promise<void> {
    const file = current[group.indices[0]];
    if (file.size < MULTIPART_THRESHOLD_BYTES) {
      group.objectKey = await uploads.add((token) => uploadGroup(group, token));
      return;
    }
    const uploadTime = new Date(file.time);
    const outcome = await uploadMultipart(
      {
        file,
        familyId: options.familyId,
        albumId: options.albumId,
        fileName: commitName(file.name, `${group.hash}.${extensionOf(file)}`),
        ...(Number.isFinite(uploadTime.getTime()) ? { uploadTime: uploadTime.toISOString() } : {}),
      },
      {
        partsInFlight: concurrency,
        retry,
        timeoutMs: (bytes) => options.timeoutMs ?? defaultTimeoutMs(bytes),
        cancel,
        onSending: () => setState(group.indices, 'uploading'),
        onBytes: (bytes) => setBytes(group.indices, () => bytes),
      },
      { wx: deps.wx, requestAPI: deps.requestAPI, now: deps.now, slots: uploads, sendingTurns, waitForNetwork: deps.waitForNetwork, every: deps.every },
    );
    if (outcome.kind === 'existing') {
      group.objectKey = outcome.existing.object_key;
      group.instant = true;
      setBytes(group.indices, (i) => current[i].size);
    } else {
      group.objectKey = outcome.photo.object_key;
      group.photo = outcome.photo;
    }
  }

  /** One file's bytes to OSS as a PostObject: retried with backoff; an expired policy is refreshed once, outside the attempt count. */
  async function uploadGroup(group: Group, token: CancelToken | undefined): Promise<string> {
    const file = current[group.indices[0]];
    const extension = extensionOf(file);
    const contentType = contentTypeOf(file);
    let refreshed = false;
    return withRetry(async () => {
      for (;;) {
        const config = await raceCancel(policies.get(), token);
        checkAgainstPolicy(config, file, contentType);
        const key = objectKeyFor(options.familyId, group.hash, extension);
        setState(group.indices, 'uploading');
        try {
          await postObject({
            wx: deps.wx,
            config,
            key,
            filePath: file.path,
            contentType,
            timeoutMs: options.timeoutMs ?? defaultTimeoutMs(file.size),
            cancel: token,
            onProgress: (event) => setBytes(group.indices, (i) => bytesFromUploadEvent(event, current[i].size)),
          });
          return key;
        } catch (error) {
          if (!(error instanceof PolicyExpiredError) || refreshed) throw error;
          refreshed = true;
          policies.invalidate(config);
        }
      }
    }, { ...retry, cancel: token });
  }
}

/** What the policy would refuse anyway is refused here, without spending an upload on it. */
function checkAgainstPolicy(config: OssUploadConfig, file: SelectedFile, contentType: string): void {
  if (typeof config.max_size === 'number' && file.size > config.max_size) throw new OssPostError(400, 'too_large', `the file is over the ${config.max_size}-byte limit`);
  if (Array.isArray(config.allowed_content_types) && !config.allowed_content_types.includes(contentType)) {
    throw new OssPostError(400, 'unsupported_type', `${contentType} is not accepted`);
  }
}
