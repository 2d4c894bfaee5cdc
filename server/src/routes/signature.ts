import { Router } from 'express';
import { ROUTES } from '../../../typings';
import { z } from 'zod';
import { notFound } from '../ApiError';
import { enforceRate } from '../http/enforceRate';
import { currentUser } from '../http/requireSession';
import { validate } from '../http/validate';
import { id } from '../schemas/fields';
import { createSigningKeyCache } from '../../../oss-signer';
import { buildUploadConfig } from '../upload/uploadConfig';
import type { AppDeps } from './AppDeps';

const signatureQuery = z.object({ family_id: id, album_id: id });

export function signatureRoutes(deps: AppDeps): Router {
  const limits = deps.rateLimiters;
  const router = Router();
  const deriveKey = createSigningKeyCache();
  router.get(ROUTES.uploadSignature, async (req, res) => {
    await enforceRate(limits.signaturePerIp, req.ip ?? 'unknown', 'signature');
    await enforceRate(limits.signaturePerUser, String(currentUser(res).id), 'signature');
    const { family_id, album_id } = validate(signatureQuery, req.query);
    const album = await deps.store.findAlbumForMember(album_id, currentUser(res).id);
    if (!album || album.familyId !== family_id) throw notFound('album');
    const credentials = await deps.credentials.get();
    // Policies carry credentials: never cache them anywhere between the phone and us.
    res.set('Cache-Control', 'no-store');
    res.json(
      buildUploadConfig({
        credentials,
        now: deps.now(),
        bucket: deps.config.oss.bucket,
        region: deps.config.oss.region,
        familyId: family_id,
        maxSizeBytes: deps.config.limits.maxFileSizeBytes,
        policyTtlSec: deps.config.limits.policyTtlSec,
        uploadHost: deps.ossClient.uploadHost(),
        deriveKey,
      }),
    );
  });
  return router;
}
