import { Router } from 'express';
import { z } from 'zod';
import { ROUTES, type ListMembersResponse } from '../../../typings';
import { ApiError, notFound } from '../ApiError';
import { currentUser } from '../http/requireSession';
import { validate } from '../http/validate';
import { id } from '../schemas/fields';
import type { AppDeps } from './AppDeps';
import { presignAvatars } from './presignAvatars';

const familyParams = z.object({ id });
const memberParams = z.object({ id, userId: id });

/**
 * A family's members. The owner removes anyone; a member removes only themself (leaving). The
 * store refuses to remove the last owner. Nothing is cached: every other route checks membership
 * per request, so a removal takes effect on the very next request.
 */
export function memberRoutes(deps: AppDeps): Router {
  const router = Router();
  const { store } = deps;

  router.get(ROUTES.familyMembers, async (req, res) => {
    const { id: familyId } = validate(familyParams, req.params);
    if (!(await store.getRole(familyId, currentUser(res).id))) throw notFound('family');
    const avatarUrl = presignAvatars(deps);
    const members = await Promise.all(
      (await store.listMembers(familyId)).map(async (m) => ({
        user_id: m.userId,
        nickname: m.nickname,
        avatar_url: await avatarUrl(m.avatarKey),
        role: m.role,
        joined_at: m.joinedAt.toISOString(),
      })),
    );
    res.set('Cache-Control', 'private, no-store');
    res.json({ members } satisfies ListMembersResponse);
  });

  router.delete(ROUTES.familyMember, async (req, res) => {
    const { id: familyId, userId } = validate(memberParams, req.params);
    const caller = currentUser(res).id;
    const role = await store.getRole(familyId, caller);
    if (!role) throw notFound('family');
    if (userId !== caller && role !== 'owner') throw new ApiError(403, 'forbidden', 'only the family owner can remove other members');
    const outcome = await store.removeMember(familyId, userId);
    if (outcome === 'not_member') throw notFound('member');
    if (outcome === 'last_owner') throw new ApiError(409, 'last_owner', 'the family needs an owner: its only owner cannot leave or be removed');
    res.status(204).end();
  });

  return router;
}
