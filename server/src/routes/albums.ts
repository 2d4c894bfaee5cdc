import { Router } from 'express';
import { z } from 'zod';
import { ROUTES, type AlbumPhotoView, type ListPhotosResponse } from '../../../typings';
import { notFound } from '../ApiError';
import { currentUser } from '../http/requireSession';
import { photoView } from '../views';
import { validate } from '../http/validate';
import { id } from '../schemas/fields';
import type { PhotoWithUploader } from '../store/Store';
import type { AppDeps } from './AppDeps';
import { presignAvatars } from './presignAvatars';

const listQuery = z.object({
  cursor: id.optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a number from 1 to 100')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'))
    .default(30),
});

/** OSS processes the image or video frame on the fly; the parameters are part of the signed query. */
const THUMBNAIL_PROCESS = {
  image: 'image/resize,m_fill,w_360,h_360/quality,q_80/format,jpg',
  video: 'video/snapshot,t_1000,f_jpg,w_360,h_360,m_fast',
} as const;

export function albumRoutes(deps: AppDeps): Router {
  const router = Router();

  async function withUrls(photo: PhotoWithUploader, avatarUrl: (key: string | null) => Promise<string | null>): Promise<AlbumPhotoView> {
    const ttl = deps.config.limits.viewUrlTtlSec;
    const process = photo.fileType === 'video' ? THUMBNAIL_PROCESS.video : THUMBNAIL_PROCESS.image;
    const [url, thumbnail] = await Promise.all([
      deps.ossClient.presignGet(photo.objectKey, ttl),
      deps.ossClient.presignGet(photo.objectKey, ttl, { 'x-oss-process': process }),
    ]);
    // The promise is what the URLs themselves say (signing second plus x-oss-expires), the earlier of the two.
    const expiresAt = Math.min(url.expiresAt.getTime(), thumbnail.expiresAt.getTime());
    const uploadedBy = { id: photo.creatorId, nickname: photo.uploader.nickname, avatar_url: await avatarUrl(photo.uploader.avatarKey) };
    return { ...photoView(photo), url: url.url, thumbnail_url: thumbnail.url, url_expires_at: new Date(expiresAt).toISOString(), uploaded_by: uploadedBy };
  }

  router.get(ROUTES.albumPhotos, async (req, res) => {
    const { id: albumId } = validate(z.object({ id }), req.params);
    const { cursor, limit } = validate(listQuery, req.query);
    const album = await deps.store.findAlbumForMember(albumId, currentUser(res).id);
    if (!album) throw notFound('album');
    // One extra row tells whether another page follows.
    const rows = await deps.store.listPhotosWithUploaders(album.id, { beforeId: cursor, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const avatarUrl = presignAvatars(deps);
    const photos = await Promise.all(page.map((p) => withUrls(p, avatarUrl)));
    res.set('Cache-Control', 'private, no-store');
    res.json({ photos, next_cursor: rows.length > limit ? String(page[page.length - 1].id) : null } satisfies ListPhotosResponse);
  });

  return router;
}
