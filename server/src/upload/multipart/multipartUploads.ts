import {
  DEFAULT_EXTENSION,
  extensionOfPath,
  isSupportedExtension,
  MEDIA_TYPES,
  MULTIPART,
  objectKeyFor,
  type CompleteMultipartRequest,
  type ExistingObject,
  type MultipartUploadView,
  type SignedPart,
  type StartMultipartRequest,
  type UploadedPart,
} from '../../../../typings';
import { ApiError, notFound } from '../../ApiError';
import type { OssMultipartClient } from '../../ossClient/ossMultipartClient';
import type { MultipartUpload } from '../../store/MultipartUploadStore';
import { ObjectGoneError, type Photo, type Store } from '../../store/Store';
import { expectedPartBytes, planParts } from './planParts';

export interface MultipartDeps {
  store: Store;
  oss: OssMultipartClient;
  deleteObject: (key: string) => Promise<void>;
  now: () => Date;
  maxFileSizeBytes: number;
  /** Lifetime of a presigned part URL. */
  partUrlTtlSec: number;
}

export type StartOutcome = { kind: 'existing'; existing: ExistingObject } | { kind: 'resumed' | 'started'; upload: MultipartUploadView };

const view = (u: MultipartUpload): MultipartUploadView => {
  const plan = planParts(u.sizeBytes, u.partSize);
  return {
    upload_id: u.uploadId,
    key: u.objectKey,
    part_size: plan.partSize,
    part_count: plan.partCount,
    expires_at: new Date(u.createdAt.getTime() + MULTIPART.staleAfterSec * 1000).toISOString(),
  };
};

const isStale = (u: MultipartUpload, now: Date) => now.getTime() - u.createdAt.getTime() >= MULTIPART.staleAfterSec * 1000;

/**
 * Large files in parts straight to OSS. The server initiates the upload on the family's
 * content-addressed key, presigns each part, and records the object only after OSS itself has
 * shown (a streamed MD5 of the completed object) that its bytes are the promised hash: a
 * multipart ETag is no MD5, and nothing the client says is evidence.
 */
export function createMultipartUploads(deps: MultipartDeps) {
  const { store } = deps;
  const uploads = store.multipartUploads;

  /** The upload when the caller is a member of its family; 404 otherwise, as for ids that do not exist. */
  async function memberUpload(uploadId: string, userId: number): Promise<MultipartUpload> {
    const upload = await uploads.find(uploadId);
    if (!upload || !(await store.getRole(upload.familyId, userId))) throw notFound('upload');
    return upload;
  }

  /** Forgets an upload OSS no longer knows (aborted, expired or completed elsewhere). */
  async function gone(upload: MultipartUpload): Promise<never> {
    await uploads.remove(upload.uploadId);
    throw notFound('upload');
  }

  async function abortAtOss(upload: MultipartUpload): Promise<void> {
    await deps.oss.abort(upload.objectKey, upload.uploadId);
    await uploads.remove(upload.uploadId);
  }

  return {
    async start(userId: number, input: StartMultipartRequest): Promise<StartOutcome> {
      const album = await store.findAlbumForMember(input.album_id, userId);
      if (!album || album.familyId !== input.family_id) throw notFound('album');
      if (input.size > deps.maxFileSizeBytes) throw new ApiError(400, 'invalid_request', `size: the file is over the ${deps.maxFileSizeBytes}-byte limit`);
      const named = extensionOfPath(input.file_name);
      const extension = isSupportedExtension(named) ? named : DEFAULT_EXTENSION[input.file_type];
      if (MEDIA_TYPES[extension].kind !== input.file_type) throw new ApiError(400, 'invalid_request', `file_type: ${input.file_type} does not match .${extension}`);

      const [known] = await store.findObjects(input.family_id, [input.hash]);
      // An object being deleted is not there to reuse (as in the hash check): upload it again.
      if (known && !known.deleting) return { kind: 'existing', existing: { hash: known.hash, object_key: known.objectKey, file_size: known.fileSize } };

      const now = deps.now();
      const standing = await uploads.findByHash(input.family_id, input.hash);
      if (standing && !isStale(standing, now) && standing.sizeBytes === input.size) return { kind: 'resumed', upload: view(standing) };
      // A stale upload, or one whose size contradicts this file's: the same hash cannot have two sizes, so it was a lie.
      if (standing) await abortAtOss(standing);

      const key = objectKeyFor(input.family_id, input.hash, extension);
      const uploadId = await deps.oss.initiate(key, MEDIA_TYPES[extension].contentType);
      const plan = planParts(input.size);
      const recorded = await uploads.insertOrGet({
        uploadId,
        familyId: input.family_id,
        hash: input.hash,
        objectKey: key,
        sizeBytes: input.size,
        partSize: plan.partSize,
        fileType: input.file_type,
        createdBy: userId,
        createdAt: now,
      });
      if (recorded.uploadId === uploadId) return { kind: 'started', upload: view(recorded) };
      // Another device of the family initiated the same file a moment before: resume theirs.
      await deps.oss.abort(key, uploadId);
      return { kind: 'resumed', upload: view(recorded) };
    },

    async signParts(userId: number, uploadId: string, partNumbers: readonly number[]): Promise<SignedPart[]> {
      const upload = await memberUpload(uploadId, userId);
      const { partCount } = planParts(upload.sizeBytes, upload.partSize);
      const outside = partNumbers.find((n) => n > partCount);
      if (outside !== undefined) throw new ApiError(400, 'invalid_request', `part_numbers: this upload has parts 1 to ${partCount}, not ${outside}`);
      const expiresAt = new Date(deps.now().getTime() + deps.partUrlTtlSec * 1000).toISOString();
      return Promise.all(
        [...new Set(partNumbers)].map(async (n) => ({ part_number: n, url: await deps.oss.presignPart(upload.objectKey, upload.uploadId, n, deps.partUrlTtlSec), expires_at: expiresAt })),
      );
    },

    async listUploaded(userId: number, uploadId: string): Promise<UploadedPart[]> {
      const upload = await memberUpload(uploadId, userId);
      const parts = await deps.oss.listParts(upload.objectKey, upload.uploadId);
      if (!parts) return gone(upload);
      return parts.map((p) => ({ part_number: p.partNumber, etag: p.etag, size: p.sizeBytes }));
    },

    async complete(userId: number, uploadId: string, input: CompleteMultipartRequest): Promise<Photo> {
      const upload = await memberUpload(uploadId, userId);
      const album = await store.findAlbumForMember(input.album_id, userId);
      if (!album || album.familyId !== upload.familyId) throw notFound('album');

      const parts = await deps.oss.listParts(upload.objectKey, upload.uploadId);
      if (!parts) return gone(upload);
      const plan = planParts(upload.sizeBytes, upload.partSize);
      const held = new Map(parts.map((p) => [p.partNumber, p]));
      const missing: number[] = [];
      for (let n = 1; n <= plan.partCount; n += 1) {
        if (held.get(n)?.sizeBytes !== expectedPartBytes(plan, upload.sizeBytes, n)) missing.push(n);
      }
      if (missing.length > 0 || parts.length !== plan.partCount) {
        throw new ApiError(409, 'upload_incomplete', `parts ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''} are missing or of the wrong size`, { details: { missing_parts: missing } });
      }

      const record = async (objectKey: string, fileSize: number, reusesObject = false): Promise<Photo> => {
        const now = deps.now();
        const uploadTime = input.upload_time ? new Date(input.upload_time) : now;
        let photo: Photo;
        try {
          [photo] = await store.insertPhotos(
            upload.familyId,
            [{ albumId: album.id, hash: upload.hash, objectKey, fileName: input.file_name, fileType: upload.fileType, fileSize, creatorId: userId, uploadTime, reusesObject }],
            now,
          );
        } catch (err) {
          // A member deleted the last photo of these bytes meanwhile and OSS is dropping the
          // object: recording it would leave a photo without its object. The phone starts again.
          if (err instanceof ObjectGoneError) return gone(upload);
          throw err;
        }
        await uploads.remove(upload.uploadId);
        return photo;
      };

      const outcome = await deps.oss.complete(upload.objectKey, upload.uploadId, parts);
      if (outcome !== 'completed') {
        // The key already holds an object (a simple upload of the same file, or a twin completed first): ours is redundant.
        if (outcome === 'object_exists') await deps.oss.abort(upload.objectKey, upload.uploadId);
        const [verified] = await store.findObjects(upload.familyId, [upload.hash]);
        if (verified && !verified.deleting) return record(verified.objectKey, verified.fileSize, true);
        if (outcome === 'no_such_upload') return gone(upload);
      }

      const digest = await deps.oss.digestObject(upload.objectKey);
      if (!digest) return gone(upload);
      if (digest.md5 !== upload.hash || digest.sizeBytes !== upload.sizeBytes) {
        // The key promises this MD5 and holds other bytes: remove it so an honest upload can land.
        await deps.deleteObject(upload.objectKey);
        await uploads.remove(upload.uploadId);
        throw new ApiError(422, 'hash_mismatch', 'the uploaded bytes do not match the hash; nothing was recorded');
      }
      return record(upload.objectKey, digest.sizeBytes);
    },

    async abort(userId: number, uploadId: string): Promise<void> {
      const upload = await memberUpload(uploadId, userId);
      if (upload.createdBy !== userId && (await store.getRole(upload.familyId, userId)) !== 'owner') throw notFound('upload');
      await abortAtOss(upload);
    },

    /** Aborts uploads left unfinished for longer than a day; answers how many. */
    async abortStale(): Promise<number> {
      const cutoff = new Date(deps.now().getTime() - MULTIPART.staleAfterSec * 1000);
      let aborted = 0;
      for (;;) {
        const stale = await uploads.startedBefore(cutoff, 100);
        for (const upload of stale) await abortAtOss(upload);
        aborted += stale.length;
        if (stale.length < 100) return aborted;
      }
    },
  };
}

export type MultipartUploads = ReturnType<typeof createMultipartUploads>;
