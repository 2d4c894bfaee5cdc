import { Router } from 'express';
import { z } from 'zod';
import { LIMITS, ROUTES, type CommitPhotosResponse, type HashCheckRequest, type HashCheckResponse } from '../../../typings';
import { notFound } from '../ApiError';
import { enforceRate } from '../http/enforceRate';
import { currentUser } from '../http/requireSession';
import { validate } from '../http/validate';
import { id, md5Hex } from '../schemas/fields';
import { recordPhotos } from '../upload/recordPhotos';
import type { AppDeps } from './AppDeps';

const HEAD_CONCURRENCY = 8;

const hashCheckBody = z.object({
  family_id: id,
  hashes: z.array(md5Hex).min(1, 'must not be empty').max(LIMITS.maxHashesPerCheck, `at most ${LIMITS.maxHashesPerCheck} hashes per request`),
}) satisfies z.ZodType<HashCheckRequest>;
const commitBody = z.object({
  data: z.array(z.unknown()).min(1, 'must not be empty').max(LIMITS.maxPhotosPerCommit, `at most ${LIMITS.maxPhotosPerCommit} photos per request`),
});

export function photoRoutes(deps: AppDeps): Router {
  const router = Router();

  router.post(ROUTES.hashCheck, async (req, res) => {
    const { family_id, hashes } = validate(hashCheckBody, req.body);
    if (!(await deps.store.getRole(family_id, currentUser(res).id))) throw notFound('family');
    // An object being deleted is not there to reuse: the phone uploads the bytes again.
    const existing = (await deps.store.findObjects(family_id, [...new Set(hashes)])).filter((o) => !o.deleting);
    res.json({ existing: existing.map((o) => ({ hash: o.hash, object_key: o.objectKey, file_size: o.fileSize })) } satisfies HashCheckResponse);
  });

  router.post(ROUTES.photos, async (req, res) => {
    const userKey = String(currentUser(res).id);
    const limits = deps.rateLimiters;
    await enforceRate(limits.commitPerUser, userKey, 'commit');
    const { data } = validate(commitBody, req.body);
    // Each item may cost one signed OSS HEAD (billed, and it holds a pooled socket): reserve one per
    // item before any is made, so concurrent commits cannot together exceed the user's budget, and
    // give back what the commit did not use (秒传 items, items refused before their HEAD).
    await enforceRate(limits.ossHeadsPerUser, userKey, 'OSS verification', data.length);
    let heads = 0;
    const result = await recordPhotos(
      {
        store: deps.store,
        headObject: (key) => {
          heads += 1;
          return deps.ossClient.headObject(key);
        },
        deleteObject: (key) => deps.ossClient.deleteObject(key),
        now: deps.now,
        maxFileSizeBytes: deps.config.limits.maxFileSizeBytes,
        headConcurrency: HEAD_CONCURRENCY,
      },
      currentUser(res).id,
      data,
    ).finally(() => limits.ossHeadsPerUser.refund(userKey, data.length - heads));
    res.json(result satisfies CommitPhotosResponse);
  });

  return router;
}
