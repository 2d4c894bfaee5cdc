import type { MediaKind } from '../../../typings';
import type { MultipartUpload } from './MultipartUploadStore';
import type { Row } from './rowMappers';

export const toMultipartUpload = (r: Row): MultipartUpload => ({
  uploadId: String(r.upload_id),
  familyId: Number(r.family_id),
  hash: String(r.hash),
  objectKey: String(r.object_key),
  sizeBytes: Number(r.size_bytes),
  partSize: Number(r.part_size),
  fileType: String(r.file_type) as MediaKind,
  createdBy: Number(r.created_by),
  createdAt: new Date(r.created_at as number | Date),
});
