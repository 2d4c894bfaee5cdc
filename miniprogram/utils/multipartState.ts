import type { MediaKind } from '../../typings/mediaTypes';
import type { WxApi } from './types';

/**
 * What this phone remembers of an unfinished multipart upload, kept with `wx.setStorageSync` keyed
 * by the file's hash: a temp file does not survive an app restart, so after one the page can only
 * list what was left and resume it when the same video (same hash) is chosen again. The upload
 * itself lives in OSS; the parts it holds are asked again on resume (GET /uploads/multipart/:id),
 * so `doneParts` only feeds the list's percentage. Storage is capped (10 MB a Mini Program, 1 MB a
 * key: https://developers.weixin.qq.com/miniprogram/dev/api/storage/wx.setStorageSync.html); a
 * record of 10,000 part numbers is ~50 KB.
 */
export interface MultipartRecord {
  hash: string;
  uploadId: string;
  key: string;
  partSize: number;
  partCount: number;
  doneParts: number[];
  fileName: string;
  fileSize: number;
  fileType: MediaKind;
  familyId: number;
  albumId: number;
  /** When the server aborts the upload if it is still unfinished (ISO). */
  expiresAt: string;
  /** Epoch ms of the last change. */
  updatedAt: number;
}

const INDEX_KEY = 'multipart_uploads';
const recordKey = (hash: string) => `multipart_upload_${hash}`;

type Storage = Pick<WxApi, 'getStorageSync' | 'setStorageSync' | 'removeStorageSync'>;

function readIndex(wx: Storage): string[] {
  try {
    const stored: unknown = wx.getStorageSync(INDEX_KEY);
    return Array.isArray(stored) ? stored.filter((h): h is string => typeof h === 'string') : [];
  } catch {
    return [];
  }
}

function isRecord(value: unknown): value is MultipartRecord {
  const r = value as Partial<MultipartRecord> | undefined;
  return !!r && typeof r === 'object' && typeof r.hash === 'string' && typeof r.uploadId === 'string' && typeof r.partCount === 'number' && Array.isArray(r.doneParts);
}

export function loadRecord(wx: Storage, hash: string): MultipartRecord | undefined {
  try {
    const stored: unknown = wx.getStorageSync(recordKey(hash));
    return isRecord(stored) ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** Saves the record; storage that is full or gone only costs the after-restart list, never the upload. */
export function saveRecord(wx: Storage, record: MultipartRecord): void {
  try {
    wx.setStorageSync(recordKey(record.hash), record);
    const index = readIndex(wx);
    if (!index.includes(record.hash)) wx.setStorageSync(INDEX_KEY, [...index, record.hash]);
  } catch {
    // see above
  }
}

export function forgetRecord(wx: Storage, hash: string): void {
  try {
    wx.removeStorageSync(recordKey(hash));
    const index = readIndex(wx);
    if (index.includes(hash)) wx.setStorageSync(INDEX_KEY, index.filter((h) => h !== hash));
  } catch {
    // see saveRecord
  }
}

/** Unfinished uploads not yet past the server's deadline, newest first; expired ones are forgotten. */
export function listRecords(wx: Storage, nowMs: number): MultipartRecord[] {
  const records: MultipartRecord[] = [];
  for (const hash of readIndex(wx)) {
    const record = loadRecord(wx, hash);
    const expires = record ? Date.parse(record.expiresAt) : NaN;
    if (!record || (Number.isFinite(expires) && expires <= nowMs)) forgetRecord(wx, hash);
    else records.push(record);
  }
  return records.sort((a, b) => b.updatedAt - a.updatedAt);
}
