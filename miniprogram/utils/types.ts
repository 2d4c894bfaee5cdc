/**
 * The contract between the utils and the page. Only `import type` may reach outside
 * `miniprogram/` (DevTools bundles nothing beyond it; type imports are erased).
 */
import type { PhotoView } from '../../typings/api';
import type { MediaKind } from '../../typings/mediaTypes';

export type { MediaKind };

/** A picked file, normalised by `fileFilter`; `hash` is '' until `computeHash` fills it. */
export interface SelectedFile {
  path: string;
  name: string;
  /** Bytes. */
  size: number;
  sizeKb: number;
  /** When it was picked or last modified, epoch ms. */
  time: number;
  type: MediaKind;
  hash: string;
}

export interface RejectedFile {
  name: string;
  reason: string;
}

export type UploadState = 'waiting' | 'hashing' | 'checking' | 'uploading' | 'committing' | 'uploaded' | 'instant' | 'failed' | 'cancelled';

export interface FileProgress {
  state: UploadState;
  bytesSent: number;
  bytesTotal: number;
  /** 0–100, whole numbers. */
  percent: number;
}

export interface BatchProgress {
  /** One entry per selected file, in selection order. */
  files: FileProgress[];
  bytesSent: number;
  bytesTotal: number;
  percent: number;
}

/** One result per selected file, in selection order. */
export type UploadResult =
  | { status: 'uploaded'; file: SelectedFile; photo: PhotoView }
  | { status: 'instant'; file: SelectedFile; photo: PhotoView }
  | { status: 'failed'; file: SelectedFile; code: string; reason: string };

/** Cancels a batch: uploads in flight are aborted, waiting ones never start. */
export interface CancelToken {
  readonly cancelled: boolean;
  /**
   * Cancelled with `keepResumable` (the page went away, not the user's 取消): a large file's
   * unfinished upload is kept for a later resume instead of being aborted and forgotten.
   */
  readonly keepsResumable: boolean;
  cancel(options?: { keepResumable?: boolean }): void;
  onCancel(listener: () => void): void;
}

/** The part of `wx` the utils use; tests pass a fake, integration tests a Node implementation. */
export type WxApi = Pick<
  WechatMiniprogram.Wx,
  'request' | 'uploadFile' | 'getFileSystemManager' | 'canIUse' | 'getStorageSync' | 'setStorageSync' | 'removeStorageSync' | 'login'
>;
