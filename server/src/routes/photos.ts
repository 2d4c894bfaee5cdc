import { Router } from 'express';
import { z } from 'zod';
import type { CommitPhotosResponse, HashCheckResponse } from '../../../typings/api';
import { notFound } from '../http/ApiError';
import { currentUser } from '../http/middleware';
import { id, md5Hex, validate } from '../http/validate';
import { commitPhotos } from '../upload/commitPhotos';
import type { AppDeps } from './AppDeps';

export const MAX_HASHES_PER_CHECK = 1000;
export const MAX_PHOTOS_PER_COMMIT = 100;
const HEAD_CONCURRENCY = 8;

const hashCheckBody = z.object({
  family_id: id,
  hashes: z.array(md5Hex).min(1, 'must not be empty').max(MAX_HASHES_PER_CHECK, `at most ${MAX_HASHES_PER_CHECK} hashes per request`),
});
const commitBody = z.object({
  data: z.array(z.unknown()).min(1, 'must not be empty').max(MAX_PHOTOS_PER_COMMIT, `at most ${MAX_PHOTOS_PER_COMMIT} photos per request`),
});

export function photoRoutes(deps: AppDeps): Router {
  const router = Router();

  router.post('/photos/hash/check', async (req, res) => {
    const { family_id, hashes } = validate(hashCheckBody, req.body);
    if (!(await deps.store.getRole(family_id, currentUser(res).id))) throw notFound('family');
    const existing = await deps.store.findObjects(family_id, [...new Set(hashes)]);
    res.json({ existing: existing.map((o) => ({ hash: o.hash, object_key: o.objectKey, file_size: o.fileSize })) } satisfies HashCheckResponse);
  });

  router.post('/photos', async (req, res) => {
    const { data } = validate(commitBody, req.body);
    const result = await commitPhotos(
      {
        store: deps.store,
        headObject: (key) => deps.storage.headObject(key),
        deleteObject: (key) => deps.storage.deleteObject(key),
        now: deps.now,
        maxFileSizeBytes: deps.config.limits.maxFileSizeBytes,
        headConcurrency: HEAD_CONCURRENCY,
      },
      currentUser(res).id,
      data,
    );
    res.json(result satisfies CommitPhotosResponse);
  });

  return router;
}
