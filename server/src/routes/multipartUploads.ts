import { Router, type Response } from 'express';
import { z } from 'zod';
import {
  MULTIPART,
  ROUTES,
  type CompleteMultipartRequest,
  type CompleteMultipartResponse,
  type ListUploadedPartsResponse,
  type SignPartsRequest,
  type SignPartsResponse,
  type StartMultipartRequest,
  type StartMultipartResponse,
} from '../../../typings';
import { enforceRate } from '../http/enforceRate';
import { currentUser } from '../http/requireSession';
import { validate } from '../http/validate';
import { fileName, id, md5Hex, storableInstant } from '../schemas/fields';
import { photoView } from '../views';
import type { AppDeps } from './AppDeps';

const startBody = z.object({
  family_id: id,
  album_id: id,
  hash: md5Hex,
  size: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  file_name: fileName,
  file_type: z.enum(['image', 'video']),
}) satisfies z.ZodType<StartMultipartRequest>;

// OSS upload ids are opaque printable text; anything else never names an upload.
const uploadParams = z.object({ uploadId: z.string().regex(/^[\x21-\x7e]{1,256}$/, 'must be an upload id') });

const signBody = z.object({
  part_numbers: z
    .array(z.number().int().min(1).max(MULTIPART.maxParts))
    .min(1, 'must not be empty')
    .max(MULTIPART.maxPartsPerSign, `at most ${MULTIPART.maxPartsPerSign} parts per request`),
}) satisfies z.ZodType<SignPartsRequest>;

const completeBody = z.object({
  album_id: id,
  file_name: fileName,
  upload_time: storableInstant.optional(),
}) satisfies z.ZodType<CompleteMultipartRequest>;

/** Multipart uploads of large files straight to OSS: start (or resume), part URLs, progress, complete, abort. */
export function multipartUploadRoutes(deps: AppDeps): Router {
  const router = Router();
  const uploads = deps.multipartUploads;
  /** The caller's id, once the caller's multipart budget allows one more call. */
  const budgetedUser = async (res: Response) => {
    const userId = currentUser(res).id;
    await enforceRate(deps.rateLimiters.multipartPerUser, String(userId), 'multipart upload');
    return userId;
  };

  router.post(ROUTES.multipartUploads, async (req, res) => {
    const outcome = await uploads.start(await budgetedUser(res), validate(startBody, req.body));
    if (outcome.kind === 'existing') res.json({ existing: outcome.existing } satisfies StartMultipartResponse);
    else res.status(outcome.kind === 'started' ? 201 : 200).json(outcome.upload satisfies StartMultipartResponse);
  });

  router.post(ROUTES.multipartParts, async (req, res) => {
    const { uploadId } = validate(uploadParams, req.params);
    const { part_numbers } = validate(signBody, req.body);
    // Part URLs carry credentials: never cache them anywhere between the phone and us.
    res.set('Cache-Control', 'no-store');
    res.json({ parts: await uploads.signParts(await budgetedUser(res), uploadId, part_numbers) } satisfies SignPartsResponse);
  });

  router.get(ROUTES.multipartUpload, async (req, res) => {
    const { uploadId } = validate(uploadParams, req.params);
    res.json({ parts: await uploads.listUploaded(await budgetedUser(res), uploadId) } satisfies ListUploadedPartsResponse);
  });

  router.post(ROUTES.multipartComplete, async (req, res) => {
    const { uploadId } = validate(uploadParams, req.params);
    const photo = await uploads.complete(await budgetedUser(res), uploadId, validate(completeBody, req.body));
    res.json({ photo: photoView(photo) } satisfies CompleteMultipartResponse);
  });

  router.delete(ROUTES.multipartUpload, async (req, res) => {
    const { uploadId } = validate(uploadParams, req.params);
    await uploads.abort(await budgetedUser(res), uploadId);
    res.status(204).end();
  });

  return router;
}
