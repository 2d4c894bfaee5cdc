import { MULTIPART, ROUTES, routePath } from '@family-album/contract';
import type { ExistingObject, PhotoView } from '../../typings/api';
import type {
  CompleteMultipartRequest,
  CompleteMultipartResponse,
  ListUploadedPartsResponse,
  MultipartUploadView,
  SignPartsRequest,
  SignPartsResponse,
  StartMultipartRequest,
  StartMultipartResponse,
} from '../../typings/multipart';
import { CancelledError, createCancelToken, raceCancel } from './cancelToken';
import { ClientError } from './clientError';
import { openFileReader, type FileReader } from './fileReader';
import { forgetRecord, loadRecord, saveRecord, type MultipartRecord } from './multipartState';
import { createPartProgress } from './partProgress';
import { PartUrlExpiredError, putPart } from './putPart';
import type { RequestAPI } from './request';
import { isRetryable, withRetry, type RetryOptions } from './retryPolicy';
import type { TaskQueue } from './taskQueue';
import type { CancelToken, SelectedFile, WxApi } from './types';

/**
 * Files from this size go up in parts. The server cuts 4 MiB parts (`MULTIPART.defaultPartBytes`),
 * so below two parts multipart only adds round trips (start, list, sign, complete: four API calls
 * against PostObject's one policy, often cached) and runs on one connection anyway. From two parts
 * on the parts run side by side. Measured on the bench's phone link (60 ms per call, 2.5 MB/s a
 * connection, 10 MB/s in all; utils over the Node wx, local cloud, a busy 2-core machine): a video
 * of 8 MiB − 1 B as one PostObject took 5.5 s, one of 8 MiB in two parts 3.2 s.
 */
export const MULTIPART_THRESHOLD_BYTES = 2 * MULTIPART.defaultPartBytes;
/** A URL is signed again when it has less than this left: a 4 MiB part on a slow line takes a while. */
const URL_MARGIN_MS = 60_000;
/**
 * After a part has used all its attempts on a network failure (a lost connection, the app in the
 * background), it waits for the network to come back (or the app to return) this many times before
 * the file fails: a run resumes by itself, but a link that is up yet never reaches OSS ends.
 */
export const MAX_NETWORK_WAITS = 5;
/**
 * Parts go before waiting photos: the largest files start first, so a long video never ends up
 * alone at the end on too few connections, and the photos fill the slots its last parts and its
 * completion leave.
 */
export const PART_PRIORITY = 1;
/** How often the in-flight estimate is reported while parts are on the wire. */
const TICK_MS = 250;

export class MultipartError extends ClientError {}

export type MultipartOutcome = { kind: 'uploaded'; photo: PhotoView } | { kind: 'existing'; existing: ExistingObject };

export interface MultipartInput {
  file: SelectedFile;
  familyId: number;
  albumId: number;
  /** The name the API accepts (see `commitName`). */
  fileName: string;
  uploadTime?: string;
}

export interface MultipartOptions {
  /** Parts on the wire at once for this file (each holds one part's bytes in memory). */
  partsInFlight: number;
  retry: RetryOptions;
  /** Per part attempt. */
  timeoutMs: (bytes: number) => number;
  cancel?: CancelToken;
  /** Bytes to show for the file: acknowledged parts plus the in-flight estimate. */
  onBytes?: (bytes: number) => void;
  /** Told once parts start going out. */
  onSending?: () => void;
}

export interface MultipartDeps {
  wx: WxApi;
  requestAPI: RequestAPI;
  /** Epoch ms. */
  now: () => number;
  /**
   * The batch's one limiter of network tasks, shared with the photos' PostObjects: each part PUT
   * takes a slot, ahead of waiting photos (`PART_PRIORITY`).
   */
  slots: TaskQueue;
  /**
   * Large files take turns to send their parts (each file holds parts in flight × part size in
   * memory); a file's start and completion run outside its turn, so the next one sends meanwhile.
   * Absent: the file sends at once.
   */
  sendingTurns?: TaskQueue;
  /** Resolves when the network is back or the app returns to the foreground. Absent: no waiting. */
  waitForNetwork?: () => Promise<void>;
  /** Calls `fn` every `ms` until the returned stop is called; absent: progress moves on part events only. */
  every?: (ms: number, fn: () => void) => () => void;
}

/** The upload is no more (aborted, swept as stale, completed by another phone): the API's 404, or OSS's NoSuchUpload at a part URL. */
const isGone = (error: unknown) => (error as { status?: unknown } | undefined)?.status === 404;
const isCode = (error: unknown, code: string) => (error as { code?: unknown } | undefined)?.code === code;

/** The API's `details.missing_parts` of a 409 `upload_incomplete`. */
function missingParts(error: unknown): number[] {
  const body = (error as { cause?: { error?: { details?: { missing_parts?: unknown } } } }).cause;
  const missing = body?.error?.details?.missing_parts;
  return Array.isArray(missing) ? missing.filter((n): n is number => Number.isInteger(n) && n >= 1) : [];
}

/** Bytes of part `n` (from 1) of a file of `size` cut in `partSize` parts. */
export function partLength(n: number, partSize: number, size: number): number {
  return Math.max(0, Math.min(partSize, size - (n - 1) * partSize));
}

/** The upload's plan must cover the file exactly, as OSS will require: anything else is a server bug, not retried. */
function checkPlan(upload: MultipartUploadView, size: number): void {
  const { part_size: partSize, part_count: count } = upload;
  const ok =
    Number.isInteger(partSize) && Number.isInteger(count) && count >= 1 && count <= MULTIPART.maxParts && partSize >= MULTIPART.minPartBytes &&
    (count - 1) * partSize < size && count * partSize >= size;
  if (!ok) throw new MultipartError(0, 'invalid_response', `the server planned ${count} parts of ${partSize} bytes for ${size} bytes`, undefined, false);
}

/**
 * One large file to OSS in parts, then recorded by the server's completion. Starting an upload of
 * a hash the family already has answers `existing` (秒传: the caller records it); starting one the
 * family left unfinished resumes it, here or on another phone, and only the parts OSS lacks are sent.
 * A cancel aborts the upload (DELETE) and forgets it — unless it keeps resumable work (the page
 * went away) — and any other failure keeps it for a later resume.
 */
export async function uploadMultipart(input: MultipartInput, options: MultipartOptions, deps: MultipartDeps): Promise<MultipartOutcome> {
  const { file } = input;
  const { cancel } = options;
  let upload: MultipartUploadView | undefined;
  try {
    // At most one fresh start after the upload was found gone (aborted, swept, completed elsewhere).
    for (let round = 0; ; round++) {
      const started = await startUpload(input, options, deps);
      if ('existing' in started) {
        forgetRecord(deps.wx, file.hash);
        return { kind: 'existing', existing: started.existing };
      }
      upload = started;
      try {
        return { kind: 'uploaded', photo: await sendAndComplete(upload, input, options, deps) };
      } catch (error) {
        if (round > 0 || cancel?.cancelled || !isGone(error) || isCode(error, 'hash_mismatch')) throw error;
        forgetRecord(deps.wx, file.hash);
      }
    }
  } catch (error) {
    if (cancel?.cancelled) {
      if (cancel.keepsResumable) throw new CancelledError();
      forgetRecord(deps.wx, file.hash);
      // Best effort and not under the cancelled token: OSS's parts cost storage until aborted (or swept in a day).
      if (upload) await deps.requestAPI({ method: 'DELETE', path: routePath('multipartUpload', { uploadId: upload.upload_id }) }).catch(() => undefined);
      throw new CancelledError();
    }
    if (isCode(error, 'hash_mismatch')) forgetRecord(deps.wx, file.hash);
    throw error;
  }
}

async function startUpload(input: MultipartInput, options: MultipartOptions, deps: MultipartDeps): Promise<StartMultipartResponse> {
  const body: StartMultipartRequest = {
    family_id: input.familyId,
    album_id: input.albumId,
    hash: input.file.hash,
    size: input.file.size,
    file_name: input.fileName,
    file_type: input.file.type,
  };
  const answer = await withRetry(() => deps.requestAPI<StartMultipartResponse>({ method: 'POST', path: ROUTES.multipartUploads, data: body }), options.retry);
  if (!answer || typeof answer !== 'object') throw new MultipartError(0, 'invalid_response', 'the start answer is empty', undefined, false);
  if (!('existing' in answer)) checkPlan(answer, input.file.size);
  return answer;
}

async function sendAndComplete(upload: MultipartUploadView, input: MultipartInput, options: MultipartOptions, deps: MultipartDeps): Promise<PhotoView> {
  const { file } = input;
  const uploadPath = routePath('multipartUpload', { uploadId: upload.upload_id });
  const held = await withRetry(() => deps.requestAPI<ListUploadedPartsResponse>({ method: 'GET', path: uploadPath }), options.retry);
  // A part of the wrong size (a file cut differently before) is sent again: completion would refuse it.
  const done = new Set(
    (held?.parts ?? []).filter((p) => p.part_number <= upload.part_count && p.size === partLength(p.part_number, upload.part_size, file.size)).map((p) => p.part_number),
  );
  const previous = loadRecord(deps.wx, file.hash);
  const record: MultipartRecord = {
    hash: file.hash,
    uploadId: upload.upload_id,
    key: upload.key,
    partSize: upload.part_size,
    partCount: upload.part_count,
    doneParts: [...done].sort((a, b) => a - b),
    fileName: input.fileName,
    fileSize: file.size,
    fileType: file.type,
    familyId: input.familyId,
    albumId: previous?.uploadId === upload.upload_id ? previous.albumId : input.albumId,
    expiresAt: upload.expires_at,
    updatedAt: deps.now(),
  };
  saveRecord(deps.wx, record);

  const progress = createPartProgress();
  progress.alreadyHeld([...done].reduce((sum, n) => sum + partLength(n, upload.part_size, file.size), 0));
  const report = () => options.onBytes?.(progress.bytesAt(deps.now()));
  report();
  const stopTicking = deps.every?.(TICK_MS, report) ?? (() => undefined);
  try {
    let missing = Array.from({ length: upload.part_count }, (_, i) => i + 1).filter((n) => !done.has(n));
    // Completion names the parts OSS lacks (another phone's part of the wrong size, a part lost): send them and complete again, once.
    for (let attempt = 0; ; attempt++) {
      if (missing.length > 0) {
        const parts = missing;
        const send = () => {
          options.onSending?.();
          return sendParts(upload, parts, { input, options, deps, progress, record, report });
        };
        await (deps.sendingTurns ? deps.sendingTurns.add(send) : send());
      }
      const body: CompleteMultipartRequest = { album_id: input.albumId, file_name: input.fileName, ...(input.uploadTime ? { upload_time: input.uploadTime } : {}) };
      try {
        const answer = await withRetry(
          () => deps.requestAPI<CompleteMultipartResponse>({ method: 'POST', path: routePath('multipartComplete', { uploadId: upload.upload_id }), data: body }),
          options.retry,
        );
        forgetRecord(deps.wx, file.hash);
        return answer.photo;
      } catch (error) {
        missing = isCode(error, 'upload_incomplete') ? missingParts(error) : [];
        if (attempt > 0 || missing.length === 0) throw error;
      }
    }
  } finally {
    stopTicking();
  }
}

interface SendContext {
  input: MultipartInput;
  options: MultipartOptions;
  deps: MultipartDeps;
  progress: ReturnType<typeof createPartProgress>;
  record: MultipartRecord;
  report: () => void;
}

/**
 * Sends `numbers` with `partsInFlight` workers, each with its own descriptor and one part's buffer
 * (so memory stays at parts in flight × part size), each part retried on its own. The first part
 * that fails for good stops its siblings (their requests are aborted) and fails the file.
 */
async function sendParts(upload: MultipartUploadView, numbers: number[], ctx: SendContext): Promise<void> {
  const { input, options, deps } = ctx;
  const { file } = input;
  const queue = [...numbers];
  const fileToken = createCancelToken();
  options.cancel?.onCancel(() => fileToken.cancel());
  const urls = createUrlSigner(upload, queue, deps, options.retry);
  let failure: unknown;

  const sendOne = async (n: number, reader: FileReader) => {
    // Signed with the next request even while its bytes are still being read.
    urls.want(n);
    const length = partLength(n, upload.part_size, file.size);
    const body = await reader.next((n - 1) * upload.part_size, length);
    if (body.byteLength !== length) throw new MultipartError(0, 'file_changed', `the file ended early: part ${n} has ${body.byteLength} of ${length} bytes`, undefined, false);
    const attempt = () =>
      deps.slots.add(async () => {
        const url = await urls.get(n);
        ctx.progress.started(n, length, deps.now());
        try {
          await putPart({ wx: deps.wx, url, body, timeoutMs: options.timeoutMs(length), cancel: fileToken });
        } catch (error) {
          ctx.progress.stopped(n);
          if (error instanceof PartUrlExpiredError) urls.expire(n);
          throw error;
        }
        ctx.progress.acknowledged(n, deps.now());
      }, PART_PRIORITY);
    for (let waits = 0; ; waits++) {
      try {
        await withRetry(attempt, { ...options.retry, cancel: fileToken });
        break;
      } catch (error) {
        const offline = isRetryable(error) && (error as { status?: unknown }).status === 0;
        if (!offline || !deps.waitForNetwork || waits >= MAX_NETWORK_WAITS || fileToken.cancelled) throw error;
        await raceCancel(deps.waitForNetwork(), fileToken);
      }
    }
    ctx.record.doneParts = [...ctx.record.doneParts, n].sort((a, b) => a - b);
    ctx.record.updatedAt = deps.now();
    saveRecord(deps.wx, ctx.record);
    ctx.report();
  };

  const worker = async () => {
    const reader = await openFileReader(deps.wx, file.path, (message, cause) => new MultipartError(0, 'read_failed', message, cause, false));
    try {
      while (queue.length > 0 && !fileToken.cancelled) await sendOne(queue.shift()!, reader);
    } finally {
      await reader.close();
    }
  };

  const workers = Math.max(1, Math.min(Math.floor(options.partsInFlight) || 1, queue.length));
  await Promise.all(
    Array.from({ length: workers }, () =>
      worker().catch((error) => {
        failure ??= error;
        fileToken.cancel();
      }),
    ),
  );
  if (options.cancel?.cancelled) throw new CancelledError();
  if (failure !== undefined) throw failure;
}

/**
 * Part URLs, signed ≤ 100 at a time on demand (they last minutes: signing a whole 1 GiB video's at
 * once would see the last ones expire): the parts workers wait for, then those next in the queue.
 * One signing request at a time; workers that wait for it take their URL from its answer.
 */
function createUrlSigner(upload: MultipartUploadView, queue: readonly number[], deps: MultipartDeps, retry: RetryOptions) {
  const signed = new Map<number, { url: string; expiresMs: number }>();
  const wanted = new Set<number>();
  let signing: Promise<void> | undefined;
  const valid = (n: number) => {
    const part = signed.get(n);
    return part !== undefined && part.expiresMs - deps.now() > URL_MARGIN_MS ? part.url : undefined;
  };
  const sign = async () => {
    const numbers = [...wanted, ...queue.filter((m) => !wanted.has(m) && !valid(m))].slice(0, MULTIPART.maxPartsPerSign);
    const body: SignPartsRequest = { part_numbers: numbers };
    const answer = await withRetry(
      () => deps.requestAPI<SignPartsResponse>({ method: 'POST', path: routePath('multipartParts', { uploadId: upload.upload_id }), data: body }),
      retry,
    );
    for (const part of answer?.parts ?? []) {
      const expiresMs = Date.parse(part.expires_at);
      signed.set(part.part_number, { url: part.url, expiresMs: Number.isFinite(expiresMs) ? expiresMs : deps.now() + 2 * URL_MARGIN_MS });
    }
  };
  return {
    async get(n: number): Promise<string> {
      wanted.add(n);
      try {
        for (;;) {
          const url = valid(n);
          if (url) return url;
          if (signing) {
            // Someone else's request: its failure is theirs; this part asks again if it is still unsigned.
            await signing.catch(() => undefined);
            continue;
          }
          signing = sign().finally(() => {
            signing = undefined;
          });
          await signing;
          const fresh = valid(n);
          if (!fresh) throw new MultipartError(0, 'invalid_response', `the server signed no URL for part ${n}`, undefined, false);
          return fresh;
        }
      } finally {
        wanted.delete(n);
      }
    },
    /** A worker took part `n`: it will ask soon. */
    want(n: number) {
      wanted.add(n);
    },
    expire(n: number) {
      signed.delete(n);
    },
  };
}

/**
 * 放弃 on the 未完成的上传 list: the upload is aborted in OSS and forgotten here. Forgotten even
 * when the abort fails (no network): the user chose to drop it, and the server sweeps unfinished
 * uploads after a day anyway.
 */
export async function abandonUpload(record: Pick<MultipartRecord, 'hash' | 'uploadId'>, deps: Pick<MultipartDeps, 'wx' | 'requestAPI'>): Promise<void> {
  await deps.requestAPI({ method: 'DELETE', path: routePath('multipartUpload', { uploadId: record.uploadId }) }).catch(() => undefined);
  forgetRecord(deps.wx, record.hash);
}
