import { Router } from 'express';
import { z } from 'zod';
import { ROUTES } from '../../../typings';
import { notFound } from '../ApiError';
import { currentUser } from '../http/requireSession';
import { validate } from '../http/validate';
import { finishObjectDeletion } from '../objects/finishObjectDeletion';
import { id } from '../schemas/fields';
import type { AppDeps } from './AppDeps';

/**
 * `DELETE /photos/:id`: the uploader or a family owner; anyone else, and a photo already deleted,
 * 404 (so a repeated delete changes nothing, and a client treats 404 as done). When no other
 * photo (another album, 秒传) still uses the object, the same transaction marks its row deleting;
 * the OSS object is deleted after the commit, and only then is the row removed
 * (finishObjectDeletion; the deletion sweep does the same for deletions left half done).
 */
export function photoDeleteRoutes(deps: AppDeps): Router {
  const router = Router();

  router.delete(ROUTES.photo, async (req, res) => {
    const { id: photoId } = validate(z.object({ id }), req.params);
    const userId = currentUser(res).id;
    const found = await deps.store.findPhotoForMember(photoId, userId);
    if (!found || (found.photo.creatorId !== userId && found.role !== 'owner')) throw notFound('photo');
    const deletion = await deps.store.deletePhoto(photoId, deps.now());
    if (!deletion.deleted) throw notFound('photo');
    // The photo is gone whatever OSS says next: when its object cannot be deleted now, the row
    // stays marked and the server's deletion sweep finishes the job.
    if (deletion.orphanedObjectKey) await finishObjectDeletion({ ...deps, deleteObject: (key) => deps.ossClient.deleteObject(key) }, deletion.orphanedObjectKey);
    res.status(204).end();
  });

  return router;
}
