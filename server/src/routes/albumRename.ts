import { Router } from 'express';
import { z } from 'zod';
import { ROUTES, type RenameAlbumRequest, type RenameAlbumResponse } from '../../../typings';
import { ApiError, notFound } from '../ApiError';
import { currentUser } from '../http/requireSession';
import { validate } from '../http/validate';
import { displayName, id } from '../schemas/fields';
import { albumView } from '../views';
import type { AppDeps } from './AppDeps';

const renameBody = z.object({ name: displayName }) satisfies z.ZodType<RenameAlbumRequest>;

/**
 * Renaming: the family owner, or the member who created the album (their album, their name for
 * it); other members see it but may not rename it (403). Non-members get 404.
 */
export function albumRenameRoutes(deps: AppDeps): Router {
  const router = Router();

  router.patch(ROUTES.album, async (req, res) => {
    const { id: albumId } = validate(z.object({ id }), req.params);
    const userId = currentUser(res).id;
    const album = await deps.store.findAlbumForMember(albumId, userId);
    if (!album) throw notFound('album');
    const { name } = validate(renameBody, req.body);
    if (album.createdBy !== userId && (await deps.store.getRole(album.familyId, userId)) !== 'owner') {
      throw new ApiError(403, 'forbidden', 'only the family owner or the album’s creator can rename it');
    }
    const renamed = await deps.store.renameAlbum(album.id, name);
    if (!renamed) throw notFound('album');
    res.json({ album: albumView(renamed) } satisfies RenameAlbumResponse);
  });

  return router;
}
