import { Router } from 'express';
import { z } from 'zod';
import { ROUTES } from '../../../typings';
import { notFound } from '../ApiError';
import { currentUser } from '../http/requireSession';
import { validate } from '../http/validate';
import { id } from '../schemas/fields';
import type { AppDeps } from './AppDeps';

/**
 * `DELETE /photos/:id`: the uploader or a family owner; anyone else, and a photo already deleted,
 * 404 (so a repeated delete changes nothing, and a client treats 404 as done). When no other
 * photo (another album, 秒传) still uses the object, the same transaction marks its row deleting;
 * the OSS object is deleted after the commit, and only then is the row removed.
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
    const key = deletion.orphanedObjectKey;
    if (key) {
      try {
        await deps.ossClient.deleteObject(key);
      } catch (err) {
        // The photo is gone whatever OSS says. A leftover object is harmless: the same bytes
        // uploaded later meet it (409), are HEAD-verified and recorded again.
        deps.logger.warn({ err: String(err), key }, 'orphaned object not deleted');
      }
      await deps.store.forgetDeletedObject(key);
    }
    res.status(204).end();
  });

  return router;
}
