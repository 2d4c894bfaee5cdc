import { Router } from 'express';
import { z } from 'zod';
import { AVATAR_CONTENT_TYPES, isAvatarKeyOf, LIMITS, ROUTES, type MeResponse, type UpdateMeRequest, type UserView } from '../../../typings';
import { createSigningKeyCache } from '../../../oss-signer';
import { ApiError, badRequest } from '../ApiError';
import { enforceRate } from '../http/enforceRate';
import { currentUser } from '../http/requireSession';
import { validate } from '../http/validate';
import { displayName } from '../schemas/fields';
import type { User } from '../store/Store';
import { buildAvatarUploadConfig } from '../upload/avatarUploadConfig';
import type { AppDeps } from './AppDeps';
import { presignAvatars } from './presignAvatars';

const updateBody = z.object({
  nickname: displayName.pipe(z.string().max(LIMITS.maxNicknameChars, `must be at most ${LIMITS.maxNicknameChars} characters`)).nullable().optional(),
  avatar_key: z.string().max(200).nullable().optional(),
}) satisfies z.ZodType<UpdateMeRequest>;

/** The caller's profile: nickname and avatar (WeChat no longer hands either to the server). */
export function meRoutes(deps: AppDeps): Router {
  const limits = deps.rateLimiters;
  const router = Router();
  const deriveKey = createSigningKeyCache();

  const userView = async (user: User): Promise<UserView> => ({ id: user.id, nickname: user.nickname, avatar_url: await presignAvatars(deps)(user.avatarKey) });

  router.get(ROUTES.me, async (_req, res) => {
    const user = await deps.store.getUser(currentUser(res).id);
    if (!user) throw new ApiError(401, 'unauthorized', 'the session has no user; log in again');
    res.set('Cache-Control', 'private, no-store');
    res.json({ user: await userView(user) } satisfies MeResponse);
  });

  router.patch(ROUTES.me, async (req, res) => {
    const userId = currentUser(res).id;
    const { nickname, avatar_key } = validate(updateBody, req.body ?? {});
    if (typeof avatar_key === 'string') {
      if (!isAvatarKeyOf(avatar_key, userId)) throw badRequest('invalid_request', `avatar_key must be avatars/${userId}/<md5>.<jpg|jpeg|png|webp>`, { field: 'avatar_key' });
      // Only what is really there is recorded: the key came from the phone.
      const head = await deps.ossClient.headObject(avatar_key);
      if (!head) throw badRequest('avatar_missing', 'nothing is stored at avatar_key; upload the picture first');
      if (head.sizeBytes > LIMITS.maxAvatarBytes || !AVATAR_CONTENT_TYPES.includes(head.contentType ?? '')) {
        throw badRequest('invalid_request', `the avatar must be a JPEG, PNG or WebP image of at most ${LIMITS.maxAvatarBytes} bytes`, { field: 'avatar_key' });
      }
    }
    const before = await deps.store.getUser(userId);
    const user = await deps.store.updateProfile(userId, { nickname, avatarKey: avatar_key });
    if (before?.avatarKey && before.avatarKey !== user.avatarKey) {
      // The old picture is the user's alone (their own prefix): nothing else can point at it.
      await deps.ossClient.deleteObject(before.avatarKey).catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'old avatar not deleted'));
    }
    res.set('Cache-Control', 'private, no-store');
    res.json({ user: await userView(user) } satisfies MeResponse);
  });

  router.get(ROUTES.avatarSignature, async (req, res) => {
    const userId = currentUser(res).id;
    await enforceRate(limits.signaturePerIp, req.ip ?? 'unknown', 'signature');
    await enforceRate(limits.signaturePerUser, String(userId), 'signature');
    // The STS adapter answers its own outage (503 sts_unavailable).
    const credentials = await deps.credentials.get();
    res.set('Cache-Control', 'no-store');
    res.json(
      buildAvatarUploadConfig({
        credentials,
        now: deps.now(),
        bucket: deps.config.oss.bucket,
        region: deps.config.oss.region,
        userId,
        maxSizeBytes: Math.min(LIMITS.maxAvatarBytes, deps.config.limits.maxFileSizeBytes),
        policyTtlSec: deps.config.limits.policyTtlSec,
        uploadHost: deps.ossClient.uploadHost(),
        deriveKey,
      }),
    );
  });

  return router;
}
