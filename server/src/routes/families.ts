import { createHash } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { ROUTES, type CreateAlbumRequest, type CreateAlbumResponse, type CreateFamilyRequest, type CreateFamilyResponse, type CreateInviteRequest, type CreateInviteResponse, type JoinFamilyRequest, type JoinFamilyResponse, type ListAlbumsResponse, type ListFamiliesResponse } from '../../../typings';
import { ApiError, notFound } from '../ApiError';
import { enforceRate } from '../http/enforceRate';
import { currentUser } from '../http/requireSession';
import { albumView, familyView } from '../views';
import { validate } from '../http/validate';
import { displayName, id } from '../schemas/fields';
import type { AppDeps } from './AppDeps';

const DEFAULT_ALBUM_NAME = '家庭相册';
const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read aloud and typed on phones
const INVITE_LENGTH = 10;

const nameBody = z.object({ name: displayName }) satisfies z.ZodType<CreateFamilyRequest & CreateAlbumRequest>;
const inviteBody = z
  .object({
    max_uses: z.number().int().min(1).max(50).default(1),
    expires_in_sec: z.number().int().min(60).max(7 * 24 * 3600).default(24 * 3600),
  })
  .default({ max_uses: 1, expires_in_sec: 24 * 3600 }) satisfies z.ZodType<CreateInviteRequest>;
const joinBody = z.object({ code: z.string().trim().min(1).max(32) }) satisfies z.ZodType<JoinFamilyRequest>;
const familyParams = z.object({ id });

export const inviteCodeHash = (code: string) => createHash('sha256').update(code.toUpperCase().replace(/[\s-]/g, '')).digest('hex');

export function familyRoutes(deps: AppDeps): Router {
  const router = Router();
  const { store } = deps;

  /** The family id of the path when the caller is a member; 404 otherwise. */
  async function memberFamily(params: unknown, userId: number) {
    const { id: familyId } = validate(familyParams, params);
    const role = await store.getRole(familyId, userId);
    if (!role) throw notFound('family');
    return { familyId, role };
  }

  router.get(ROUTES.families, async (_req, res) => {
    const families = await store.listFamilies(currentUser(res).id);
    res.json({ families: families.map(familyView) } satisfies ListFamiliesResponse);
  });

  router.post(ROUTES.families, async (req, res) => {
    const { name } = validate(nameBody, req.body);
    const { family, album } = await store.createFamily({ name, ownerId: currentUser(res).id, defaultAlbumName: DEFAULT_ALBUM_NAME, now: deps.now() });
    res.status(201).json({ family: familyView({ ...family, role: 'owner' }), album: albumView(album) } satisfies CreateFamilyResponse);
  });

  router.post(ROUTES.joinFamily, async (req, res) => {
    // Invite codes are guessable only by volume: limit guesses per address and per account.
    await enforceRate(deps.rateLimiters.joinPerIp, req.ip ?? 'unknown', 'join');
    await enforceRate(deps.rateLimiters.joinPerUser, String(currentUser(res).id), 'join');
    const { code } = validate(joinBody, req.body);
    const redemption = await store.redeemInvite({ codeHash: inviteCodeHash(code), userId: currentUser(res).id, now: deps.now() });
    if (!redemption.ok) {
      if (redemption.reason === 'expired') throw new ApiError(410, 'invite_expired', 'this invite code has expired; ask for a new one');
      if (redemption.reason === 'used_up') throw new ApiError(409, 'invite_used_up', 'this invite code has already been used');
      throw new ApiError(404, 'invite_not_found', 'no such invite code');
    }
    const role = (await store.getRole(redemption.family.id, currentUser(res).id)) ?? 'member';
    res.json({ family: familyView({ ...redemption.family, role }) } satisfies JoinFamilyResponse);
  });

  router.post(ROUTES.familyInvites, async (req, res) => {
    const user = currentUser(res);
    const { familyId, role } = await memberFamily(req.params, user.id);
    if (role !== 'owner') throw new ApiError(403, 'forbidden', 'only the family owner can invite');
    const { max_uses, expires_in_sec } = validate(inviteBody, req.body ?? {});
    const code = Array.from(deps.randomBytes(INVITE_LENGTH), (b) => INVITE_ALPHABET[b % INVITE_ALPHABET.length]).join('');
    const now = deps.now();
    const expiresAt = new Date(now.getTime() + expires_in_sec * 1000);
    await store.createInvite({ codeHash: inviteCodeHash(code), familyId, createdBy: user.id, expiresAt, maxUses: max_uses, now });
    res.status(201).json({ code, expires_at: expiresAt.toISOString(), max_uses } satisfies CreateInviteResponse);
  });

  router.get(ROUTES.familyAlbums, async (req, res) => {
    const { familyId } = await memberFamily(req.params, currentUser(res).id);
    res.json({ albums: (await store.listAlbums(familyId)).map(albumView) } satisfies ListAlbumsResponse);
  });

  router.post(ROUTES.familyAlbums, async (req, res) => {
    const user = currentUser(res);
    const { familyId } = await memberFamily(req.params, user.id);
    const { name } = validate(nameBody, req.body);
    const album = await store.createAlbum({ familyId, name, createdBy: user.id, now: deps.now() });
    res.status(201).json({ album: albumView(album) } satisfies CreateAlbumResponse);
  });

  return router;
}
