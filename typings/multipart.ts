import type { ExistingObject, PhotoView } from './api';
import type { MediaKind } from './mediaTypes';

/**
 * Large files go up in parts straight to OSS (multipart upload): the server initiates the upload
 * on the content-addressed key, presigns each part's PUT, and completes and verifies it.
 */
export const MULTIPART = {
  /** Part numbers in one `POST /uploads/multipart/:uploadId/parts`. */
  maxPartsPerSign: 100,
  /** OSS: every part but the last is at least 100 KB, at most 10,000 parts. */
  minPartBytes: 100 * 1024,
  maxParts: 10_000,
  /** What the server plans unless a file needs bigger parts to stay within 10,000. */
  defaultPartBytes: 4 * 1024 * 1024,
  /**
   * The content type a part is PUT with, and its URL is signed for. OSS's V4 signature covers
   * content-type whenever a request carries one, and `wx.request` always sends one
   * (`application/json` unless told otherwise), so a URL signed without it would refuse a phone's part.
   */
  partContentType: 'application/octet-stream',
  /** An unfinished upload older than this is aborted by the server. */
  staleAfterSec: 24 * 3600,
} as const;

export interface StartMultipartRequest {
  family_id: number;
  album_id: number;
  /** Lower-case hex MD5 of the whole file. */
  hash: string;
  size: number;
  file_name: string;
  file_type: MediaKind;
}

export interface MultipartUploadView {
  upload_id: string;
  key: string;
  part_size: number;
  part_count: number;
  /** When the server aborts the upload if it is still unfinished. */
  expires_at: string;
}

/** A new or resumed upload (201 / 200), or the object the family already holds (秒传, 200). */
export type StartMultipartResponse = MultipartUploadView | { existing: ExistingObject };

export interface SignPartsRequest {
  part_numbers: number[];
}
export interface SignedPart {
  part_number: number;
  /** A presigned `PUT` for exactly this upload and part. */
  url: string;
  expires_at: string;
}
export interface SignPartsResponse {
  parts: SignedPart[];
}

export interface UploadedPart {
  part_number: number;
  etag: string;
  size: number;
}
/** What OSS already holds of the upload, for resuming. */
export interface ListUploadedPartsResponse {
  parts: UploadedPart[];
}

/** Which album the completed file goes to, and its name there (each member completing the same file names their own). */
export interface CompleteMultipartRequest {
  album_id: number;
  file_name: string;
  upload_time?: string;
}

export interface CompleteMultipartResponse {
  photo: PhotoView;
}
