import type { Pool } from 'pg';
import type { MultipartUploadStore } from './MultipartUploadStore';
import { toMultipartUpload } from './multipartUploadRows';
import type { Row } from './rowMappers';

export function createPostgresMultipartUploads(pool: Pool): MultipartUploadStore {
  const one = async (sql: string, params: unknown[]) => {
    const [row] = (await pool.query(sql, params)).rows as Row[];
    return row && toMultipartUpload(row);
  };
  return {
    async insertOrGet(u) {
      // Two statements: after a conflict the winner's row is committed, and a fresh statement sees it.
      await pool.query(
        `INSERT INTO multipart_uploads (upload_id, family_id, hash, object_key, size_bytes, part_size, file_type, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (family_id, hash) DO NOTHING`,
        [u.uploadId, u.familyId, u.hash, u.objectKey, u.sizeBytes, u.partSize, u.fileType, u.createdBy, u.createdAt],
      );
      const standing = await one('SELECT * FROM multipart_uploads WHERE family_id = $1 AND hash = $2', [u.familyId, u.hash]);
      // Only a concurrent completion or abort between the two statements removes it: let the caller retry.
      if (!standing) throw new Error('the multipart upload vanished while being recorded; retry');
      return standing;
    },
    find: (uploadId) => one('SELECT * FROM multipart_uploads WHERE upload_id = $1', [uploadId]),
    findByHash: (familyId, hash) => one('SELECT * FROM multipart_uploads WHERE family_id = $1 AND hash = $2', [familyId, hash]),
    async remove(uploadId) {
      await pool.query('DELETE FROM multipart_uploads WHERE upload_id = $1', [uploadId]);
    },
    async startedBefore(before, limit) {
      return ((await pool.query('SELECT * FROM multipart_uploads WHERE created_at < $1 ORDER BY created_at LIMIT $2', [before, limit])).rows as Row[]).map(toMultipartUpload);
    },
  };
}
