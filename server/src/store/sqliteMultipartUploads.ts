import type Database from 'better-sqlite3';
import type { MultipartUploadStore } from './MultipartUploadStore';
import { toMultipartUpload } from './multipartUploadRows';
import type { Row } from './rowMappers';

export function createSqliteMultipartUploads(db: Database.Database): MultipartUploadStore {
  const st = {
    insert: db.prepare(
      `INSERT INTO multipart_uploads (upload_id, family_id, hash, object_key, size_bytes, part_size, file_type, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (family_id, hash) DO NOTHING`,
    ),
    byId: db.prepare('SELECT * FROM multipart_uploads WHERE upload_id = ?'),
    byHash: db.prepare('SELECT * FROM multipart_uploads WHERE family_id = ? AND hash = ?'),
    remove: db.prepare('DELETE FROM multipart_uploads WHERE upload_id = ?'),
    startedBefore: db.prepare('SELECT * FROM multipart_uploads WHERE created_at < ? ORDER BY created_at LIMIT ?'),
  };
  return {
    async insertOrGet(u) {
      st.insert.run(u.uploadId, u.familyId, u.hash, u.objectKey, u.sizeBytes, u.partSize, u.fileType, u.createdBy, u.createdAt.getTime());
      return toMultipartUpload(st.byHash.get(u.familyId, u.hash) as Row);
    },
    async find(uploadId) {
      const row = st.byId.get(uploadId) as Row | undefined;
      return row && toMultipartUpload(row);
    },
    async findByHash(familyId, hash) {
      const row = st.byHash.get(familyId, hash) as Row | undefined;
      return row && toMultipartUpload(row);
    },
    async remove(uploadId) {
      st.remove.run(uploadId);
    },
    async startedBefore(before, limit) {
      return (st.startedBefore.all(before.getTime(), limit) as Row[]).map(toMultipartUpload);
    },
  };
}
