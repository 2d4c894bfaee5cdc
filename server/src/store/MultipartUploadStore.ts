import type { MediaKind } from '../../../typings';

/** An unfinished multipart upload the server initiated: one per family and hash. */
export interface MultipartUpload {
  uploadId: string;
  familyId: number;
  hash: string;
  objectKey: string;
  sizeBytes: number;
  partSize: number;
  fileType: MediaKind;
  createdBy: number;
  createdAt: Date;
}

export interface MultipartUploadStore {
  /**
   * Records the upload unless the family already has one for this hash; answers the one that
   * stands (ours, or the earlier one, which the caller then resumes and whose twin it aborts).
   */
  insertOrGet(upload: MultipartUpload): Promise<MultipartUpload>;
  find(uploadId: string): Promise<MultipartUpload | undefined>;
  findByHash(familyId: number, hash: string): Promise<MultipartUpload | undefined>;
  remove(uploadId: string): Promise<void>;
  /** Uploads started before `before`, oldest first (the stale ones the server aborts). */
  startedBefore(before: Date, limit: number): Promise<MultipartUpload[]>;
}
