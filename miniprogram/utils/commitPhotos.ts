import { LIMITS, ROUTES } from '@family-album/contract';
import type { CommitPhotosRequest, CommitPhotosResponse, PhotoMeta, PhotoView } from '../../typings/api';
import { throwIfCancelled } from './cancelToken';
import { chunk } from './checkHashes';
import { describeError } from './describeError';
import type { RequestAPI } from './request';
import { withRetry, type RetryOptions } from './retryPolicy';
import type { SelectedFile } from './types';

export type CommitOutcome = { ok: true; photo: PhotoView } | { ok: false; code: string; reason: string };

/**
 * A name the API accepts (1–255 characters as it counts them, UTF-16 units; no control characters),
 * keeping the extension when a chat file's long name must be shortened.
 */
export function commitName(name: string, fallback: string): string {
  const max = LIMITS.maxFileNameChars;
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!clean) return truncate(fallback, max);
  if (clean.length <= max) return clean;
  const dot = clean.lastIndexOf('.');
  const extension = dot > 0 && clean.length - dot <= 9 ? clean.slice(dot) : '';
  const stem = extension ? clean.slice(0, dot) : clean;
  return (truncate(stem, max - extension.length).trimEnd() || 'file') + extension;
}

/** At most `max` UTF-16 units, never splitting a surrogate pair (the API refuses a lone half). */
function truncate(text: string, max: number): string {
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
}

/** One `PhotoMeta` for a file whose bytes are at `objectKey` (uploaded now, or already known). */
export function photoMetaFor(file: SelectedFile, ids: { familyId: number; albumId: number }, objectKey: string, extension: string): PhotoMeta {
  const uploadTime = new Date(file.time);
  return {
    album_id: ids.albumId,
    family_id: ids.familyId,
    file_name: commitName(file.name, `${file.hash}.${extension}`),
    object_key: objectKey,
    file_type: file.type,
    file_size: file.size,
    ...(Number.isFinite(uploadTime.getTime()) ? { upload_time: uploadTime.toISOString() } : {}),
    hash_value: file.hash,
  };
}

/**
 * Records the photos, 100 per request, each request retried on retryable failures (the server is
 * idempotent: same album and hash, same photo). Outcomes come back one per item, in item order:
 * `failed` by index, `photos` by hash; a request that fails for good fails its items only.
 */
export async function commitPhotos(items: readonly PhotoMeta[], options: { requestAPI: RequestAPI; retry: RetryOptions }): Promise<CommitOutcome[]> {
  const outcomes: CommitOutcome[] = [];
  for (const part of chunk(items, LIMITS.maxPhotosPerCommit)) {
    let answer: CommitPhotosResponse;
    try {
      throwIfCancelled(options.retry.cancel);
      const body: CommitPhotosRequest = { data: part };
      answer = await withRetry(() => options.requestAPI<CommitPhotosResponse>({ method: 'POST', path: ROUTES.photos, data: body }), options.retry);
    } catch (error) {
      const { code, reason } = describeError(error);
      for (let i = 0; i < part.length; i++) outcomes.push({ ok: false, code, reason });
      continue;
    }
    const failedByIndex = new Map((answer?.failed ?? []).map((f) => [f.index, f]));
    const photoByHash = new Map((answer?.photos ?? []).map((p) => [p.hash_value, p]));
    part.forEach((item, index) => {
      const failure = failedByIndex.get(index);
      const photo = photoByHash.get(item.hash_value);
      if (failure) outcomes.push({ ok: false, code: failure.code, reason: failure.message });
      else if (photo) outcomes.push({ ok: true, photo });
      else outcomes.push({ ok: false, code: 'not_recorded', reason: 'the server did not record this photo' });
    });
  }
  return outcomes;
}
