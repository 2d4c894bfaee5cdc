import { extensionOfPath, isSupportedExtension, MEDIA_TYPES, parseObjectKey, type CommitFailure, type CommitFailureCode, type PhotoView } from '../../../typings';
import { mapWithConcurrency } from '../mapWithConcurrency';
import { photoView } from '../views';
import type { ObjectHead } from '../ossClient/ossClient';
import { ObjectGoneError, type NewPhoto, type Store, type StoredObject } from '../store/Store';
import { photoMetaSchema } from './photoMetaSchema';
import { storedHeadersProblem } from './storedHeadersProblem';

export interface CommitDeps {
  store: Store;
  headObject: (key: string) => Promise<ObjectHead | undefined>;
  deleteObject: (key: string) => Promise<void>;
  now: () => Date;
  maxFileSizeBytes: number;
  headConcurrency: number;
}

type Checked = { index: number; ok: true; familyId: number; photo: NewPhoto } | { index: number; ok: false; failure: CommitFailure };

const fail = (index: number, code: CommitFailureCode, message: string): Checked => ({ index, ok: false, failure: { index, code, message } });

/**
 * Verifies and records a batch. Items are independent: each fails alone with a code. A new object
 * is recorded only if OSS holds it at its content-addressed key with the claimed size and MD5; a
 * hash the family already has (秒传) points at the existing object. One transaction per family.
 */
export async function recordPhotos(deps: CommitDeps, userId: number, items: readonly unknown[]): Promise<{ photos: PhotoView[]; failed: CommitFailure[] }> {
  const now = deps.now();
  const parsed = items.map((item) => photoMetaSchema.safeParse(item));

  // Membership and albums: one lookup per distinct album.
  const albumIds = [...new Set(parsed.flatMap((p) => (p.success ? [p.data.album_id] : [])))];
  const albums = new Map(await Promise.all(albumIds.map(async (a) => [a, await deps.store.findAlbumForMember(a, userId)] as const)));

  // Known objects: one query per family.
  const hashesByFamily = new Map<number, string[]>();
  for (const p of parsed) if (p.success) hashesByFamily.set(p.data.family_id, [...(hashesByFamily.get(p.data.family_id) ?? []), p.data.hash_value]);
  const known = new Map<string, StoredObject>();
  for (const [familyId, hashes] of hashesByFamily) {
    const album = [...albums.values()].find((a) => a?.familyId === familyId);
    if (!album) continue; // not the caller's family: nothing to look up, and nothing learnt
    for (const o of await deps.store.findObjects(familyId, [...new Set(hashes)])) known.set(`${familyId}/${o.hash}`, o);
  }

  const checked = await mapWithConcurrency(parsed, deps.headConcurrency, async (p, index): Promise<Checked> => {
    if (!p.success) {
      const issue = p.error.issues[0];
      return fail(index, 'invalid_item', `${issue.path.join('.') || 'item'}: ${issue.message}`);
    }
    const item = p.data;
    const album = albums.get(item.album_id);
    if (!album || album.familyId !== item.family_id) return fail(index, 'not_found', 'album not found');
    if (item.file_size > deps.maxFileSizeBytes) return fail(index, 'too_large', `file_size is over the ${deps.maxFileSizeBytes}-byte limit`);
    const base = { albumId: album.id, hash: item.hash_value, fileName: item.file_name, fileType: item.file_type, creatorId: userId, uploadTime: item.upload_time ? new Date(item.upload_time) : now };

    const existing = known.get(`${item.family_id}/${item.hash_value}`);
    // Its last photo was just deleted: a HEAD now may still see the object OSS is about to drop.
    if (existing?.deleting) return fail(index, 'object_missing', 'the object is being deleted; upload the file again');
    if (existing) {
      // 秒传: the family already holds these bytes; the stored object, not the claim, is the truth.
      // Its key's extension was checked against its Content-Type when it was recorded, so it says its kind.
      const storedExtension = extensionOfPath(existing.objectKey);
      if (!isSupportedExtension(storedExtension) || MEDIA_TYPES[storedExtension].kind !== item.file_type) {
        return fail(index, 'invalid_item', `file_type ${item.file_type} does not match the family's stored .${storedExtension} object`);
      }
      return { index, ok: true, familyId: item.family_id, photo: { ...base, objectKey: existing.objectKey, fileSize: existing.fileSize, reusesObject: true } };
    }
    const key = item.object_key ?? item.file_path;
    if (!key) return fail(index, 'invalid_item', 'object_key: required for a new upload');
    const parsedKey = parseObjectKey(key, item.family_id, item.hash_value);
    if (!parsedKey) return fail(index, 'invalid_key', `object_key must be families/${item.family_id}/${item.hash_value}.<ext> with a supported extension`);
    if (MEDIA_TYPES[parsedKey.extension].kind !== item.file_type) return fail(index, 'invalid_item', `file_type ${item.file_type} does not match .${parsedKey.extension}`);

    const head = await deps.headObject(key);
    if (!head) return fail(index, 'object_missing', 'the object has not been uploaded');
    if (head.etag !== item.hash_value) {
      // The key promises this MD5 and the bytes are other: the object is unusable and would block the real upload.
      await deps.deleteObject(key);
      return fail(index, 'hash_mismatch', 'the uploaded bytes do not match hash_value; upload the file again');
    }
    const problem = storedHeadersProblem(head.headers, MEDIA_TYPES[parsedKey.extension].contentType);
    if (problem) {
      // Whoever uploaded chose headers the album never sets (an encoding, a download name, another
      // type): every viewer would get them, and the object can neither be overwritten nor replaced
      // once 秒传 reuses it. Removing it lets the honest uploader's retry land clean.
      await deps.deleteObject(key);
      return fail(index, 'object_rejected', `${problem}; upload the file again`);
    }
    if (head.sizeBytes !== item.file_size) return fail(index, 'size_mismatch', `the object holds ${head.sizeBytes} bytes, not ${item.file_size}`);
    return { index, ok: true, familyId: item.family_id, photo: { ...base, objectKey: key, fileSize: head.sizeBytes } };
  });

  const failed = checked.flatMap((c) => (c.ok ? [] : [c.failure]));
  const accepted = checked.filter((c): c is Extract<Checked, { ok: true }> => c.ok);
  const photos: PhotoView[] = [];
  for (const familyId of new Set(accepted.map((a) => a.familyId))) {
    let batch = accepted.filter((a) => a.familyId === familyId);
    // A member deleted the last photo of a reused object meanwhile: those items upload again; the
    // rest are recorded. Each round drops at least one item, so this ends.
    for (;;) {
      try {
        photos.push(...(await deps.store.insertPhotos(familyId, batch.map((a) => a.photo), now)).map(photoView));
        break;
      } catch (err) {
        if (!(err instanceof ObjectGoneError)) throw err;
        const gone = new Set(err.hashes);
        for (const a of batch) if (gone.has(a.photo.hash)) failed.push({ index: a.index, code: 'object_missing', message: 'the object was deleted meanwhile; upload the file again' });
        batch = batch.filter((a) => !gone.has(a.photo.hash));
        if (batch.length === 0) break;
      }
    }
  }
  failed.sort((a, b) => a.index - b.index);
  return { photos, failed };
}
