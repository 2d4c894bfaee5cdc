import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import { ROUTES } from '../../../typings';
import { createSigningKeyCache } from '../../../oss-signer';
import { notFound } from '../ApiError';
import { enforceRate } from '../http/enforceRate';
import { currentUser } from '../http/requireSession';
import { validate } from '../http/validate';
import { id } from '../schemas/fields';
import { createTtlCache } from '../ttlCache';
import { buildUploadConfig } from '../upload/uploadConfig';
import type { AppDeps } from './AppDeps';

const signatureQuery = z.object({ family_id: id, album_id: id });

/**
 * A family's policy is the same for all its members (it pins the family's folder, not a person),
 * so one signed answer serves the family for this long; it then still has all but these seconds
 * of its promised life. Membership is not cached: it is checked in the store on every request, so
 * a member removed (or leaving) gets no policy from the very next request on.
 */
const SIGNATURE_REUSE_MS = 5_000;

/** `requireSession` guards the route itself: the app mounts this router before its own session check. */
export function signatureRoutes(deps: AppDeps, requireSession: RequestHandler): Router {
  const limits = deps.rateLimiters;
  const router = Router();
  const deriveKey = createSigningKeyCache();
  const cacheOptions = { ttlMs: SIGNATURE_REUSE_MS, now: deps.now, maxEntries: 10_000 };
  /** family id → the serialised upload config. */
  const policies = createTtlCache<number, string>(cacheOptions);

  async function policyFor(familyId: number): Promise<string> {
    const cached = policies.get(familyId);
    if (cached !== undefined) return cached;
    const body = JSON.stringify(
      buildUploadConfig({
        credentials: await deps.credentials.get(),
        now: deps.now(),
        bucket: deps.config.oss.bucket,
        region: deps.config.oss.region,
        familyId,
        maxSizeBytes: deps.config.limits.maxFileSizeBytes,
        policyTtlSec: deps.config.limits.policyTtlSec,
        uploadHost: deps.ossClient.uploadHost(),
        deriveKey,
      }),
    );
    policies.set(familyId, body);
    return body;
  }

  router.get(ROUTES.uploadSignature, requireSession, async (req, res) => {
    const userId = currentUser(res).id;
    await enforceRate(limits.signaturePerIp, req.ip ?? 'unknown', 'signature');
    await enforceRate(limits.signaturePerUser, String(userId), 'signature');
    const { family_id, album_id } = validate(signatureQuery, req.query);
    const album = await deps.store.findAlbumForMember(album_id, userId);
    if (album?.familyId !== family_id) throw notFound('album');
    const body = await policyFor(family_id);
    // Policies carry credentials: never cache them anywhere between the phone and us.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.send(body);
  });
  return router;
}
