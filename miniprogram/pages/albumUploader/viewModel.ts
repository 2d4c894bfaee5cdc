/**
 * What the album uploader page shows, as pure functions of the utils' values: list items, state
 * texts, and `setData` patches that name only the fields that changed (each `setData` crosses
 * from the logic thread to the view thread, so a progress tick must stay small).
 */
import type { AlbumPhotoView, AlbumView } from '../../../typings/api';
import type { MultipartRecord } from '../../utils/multipartState';
import type { BatchProgress, MediaKind, RejectedFile, SelectedFile, UploadResult, UploadState } from '../../utils/types';

export interface FileItem {
  /** Stable list key (`wx:key`). */
  key: string;
  name: string;
  type: MediaKind;
  /** Image to show: the photo itself, a video's cover, or '' for a placeholder. */
  thumb: string;
  sizeText: string;
  state: UploadState;
  /** 0–100. */
  percent: number;
  /** Why it failed; '' otherwise. */
  reason: string;
  stateText: string;
}

export interface Summary {
  uploaded: number;
  instant: number;
  failed: number;
}

/** A file the picker gave that the album cannot take, with its own `wx:key` (names may repeat). */
export interface RejectedItem extends RejectedFile {
  key: string;
}

export interface PhotoItem {
  id: number;
  file_name: string;
  file_type: string;
  thumbnail_url: string;
  url: string;
}

export type DataPatch = Record<string, unknown>;

/** A large upload an earlier run left unfinished, as the 未完成的上传 list shows it. */
export interface UnfinishedItem {
  /** The file's hash: its `wx:key`, and how choosing the same file again finds it. */
  hash: string;
  name: string;
  sizeText: string;
  /** Of the parts acknowledged, 0–99 (100 would be done, and done uploads are not listed). */
  percent: number;
  progressText: string;
}

/** Results come back as failures with this code when the user cancelled the batch. */
export const CANCELLED_CODE = 'cancelled';

const UNITS = ['KB', 'MB', 'GB'];

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

export function stateText(state: UploadState, percent: number, reason: string): string {
  switch (state) {
    case 'waiting':
      return '等待中';
    case 'hashing':
      return '计算中';
    case 'checking':
      return '检查中';
    case 'uploading':
      return `上传中 ${percent}%`;
    case 'committing':
      return '保存中';
    case 'uploaded':
      return '已上传';
    case 'instant':
      return '秒传';
    case 'cancelled':
      return '已取消';
    case 'failed':
      return reason ? `失败：${reason}` : '失败';
  }
}

export function newItem(file: SelectedFile, key: string, thumb: string): FileItem {
  return { key, name: file.name, type: file.type, thumb, sizeText: formatSize(file.size), state: 'waiting', percent: 0, reason: '', stateText: stateText('waiting', 0, '') };
}

/** Files the upload button sends: new ones and those a cancel stopped. */
export const isPending = (item: FileItem) => item.state === 'waiting' || item.state === 'cancelled';
export const isFailed = (item: FileItem) => item.state === 'failed';

export function counts(items: readonly FileItem[]): { pendingCount: number; failedCount: number } {
  return { pendingCount: items.filter(isPending).length, failedCount: items.filter(isFailed).length };
}

/** Writes `next` into the patch for item `index`, field by field, where it differs from `item`. */
function patchItem(patch: DataPatch, item: FileItem, index: number, next: Pick<FileItem, 'state' | 'percent' | 'reason'>): FileItem {
  const updated = { ...item, ...next, stateText: stateText(next.state, next.percent, next.reason) };
  for (const field of ['state', 'percent', 'reason', 'stateText'] as const) {
    if (updated[field] !== item[field]) patch[`items[${index}].${field}`] = updated[field];
  }
  return updated;
}

/**
 * The patch for one progress report of a batch whose file `j` is list item `indices[j]`.
 * `items` is updated in place so the next report compares with what the view now shows.
 */
export function progressPatch(items: FileItem[], indices: readonly number[], progress: BatchProgress, totalPercent: number): DataPatch {
  const patch: DataPatch = {};
  progress.files.forEach((file, j) => {
    const index = indices[j];
    const item = items[index];
    if (!item) return;
    // A failure's reason only arrives with the results.
    items[index] = patchItem(patch, item, index, { state: file.state, percent: file.percent, reason: item.reason });
  });
  if (progress.percent !== totalPercent) patch.totalPercent = progress.percent;
  return patch;
}

/** The patch that puts the files of a new batch back to 等待中, clearing an earlier failure. */
export function restartPatch(items: FileItem[], indices: readonly number[]): DataPatch {
  const patch: DataPatch = {};
  for (const index of indices) {
    const item = items[index];
    if (item) items[index] = patchItem(patch, item, index, { state: 'waiting', percent: 0, reason: '' });
  }
  return patch;
}

/** The patch and summary for a finished batch; updates `items` in place as `progressPatch` does. */
export function resultPatch(items: FileItem[], indices: readonly number[], results: readonly UploadResult[]): { patch: DataPatch; summary: Summary } {
  const patch: DataPatch = {};
  const summary: Summary = { uploaded: 0, instant: 0, failed: 0 };
  results.forEach((result, j) => {
    const index = indices[j];
    const item = items[index];
    if (!item) return;
    if (result.status === 'failed') {
      const cancelled = result.code === CANCELLED_CODE;
      if (!cancelled) summary.failed += 1;
      items[index] = patchItem(patch, item, index, { state: cancelled ? 'cancelled' : 'failed', percent: 0, reason: cancelled ? '' : result.reason });
    } else {
      summary[result.status] += 1;
      items[index] = patchItem(patch, item, index, { state: result.status, percent: 100, reason: '' });
    }
  });
  return { patch, summary };
}

export function summaryText(summary: Summary): string {
  return `上传 ${summary.uploaded} 个，秒传 ${summary.instant} 个，失败 ${summary.failed} 个`;
}

export function defaultAlbumIndex(albums: readonly AlbumView[]): number {
  return Math.max(0, albums.findIndex((a) => a.is_default));
}

export function toPhotoItem(photo: AlbumPhotoView): PhotoItem {
  return { id: photo.id, file_name: photo.file_name, file_type: photo.file_type, thumbnail_url: photo.thumbnail_url, url: photo.url };
}

/** Appends a page of photos, skipping any already shown (a photo committed between pages shifts them). */
export function appendPhotos(shown: readonly PhotoItem[], page: readonly AlbumPhotoView[]): PhotoItem[] {
  const ids = new Set(shown.map((p) => p.id));
  return [...shown, ...page.filter((p) => !ids.has(p.id)).map(toPhotoItem)];
}

/** The 未完成的上传 list: name, size and how far each got, newest first as storage lists them. */
export function unfinishedItems(records: readonly MultipartRecord[]): UnfinishedItem[] {
  return records.map((r) => {
    const percent = r.partCount > 0 ? Math.min(99, Math.floor((100 * r.doneParts.length) / r.partCount)) : 0;
    return { hash: r.hash, name: r.fileName, sizeText: formatSize(r.fileSize), percent, progressText: `已传 ${percent}%，重新选择这个视频即可继续` };
  });
}
