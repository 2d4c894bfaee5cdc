import { Router } from 'express';
import { z } from 'zod';
import { ROUTES, type InvitePreviewResponse } from '../../../typings';
import { ApiError } from '../ApiError';
import { enforceRate } from '../http/enforceRate';
import { currentUser } from '../http/requireSession';
import { validate } from '../http/validate';
import type { AppDeps } from './AppDeps';
import { inviteCodeHash } from './families';

const inviteParams = z.object({ code: z.string().trim().min(1).max(32) });

/**
 * What the join page shows before joining. A preview is as good a code oracle as a join, so it
 * spends from the same per-user and per-IP budgets as joining.
 */
export function inviteRoutes(deps: AppDeps): Router {
  const limits = deps.rateLimiters;
  const router = Router();

  router.get(ROUTES.invite, async (req, res) => {
    const userId = currentUser(res).id;
    await enforceRate(limits.joinPerIp, req.ip ?? 'unknown', 'invite');
    await enforceRate(limits.joinPerUser, String(userId), 'invite');
    const { code } = validate(inviteParams, req.params);
    const invite = await deps.store.findInvite(inviteCodeHash(code));
    if (!invite) throw new ApiError(404, 'invite_not_found', 'no such invite code');
    // As joining does: someone already in the family is shown it, whatever the code's state.
    const alreadyMember = (await deps.store.getRole(invite.family.id, userId)) !== undefined;
    if (!alreadyMember) {
      if (invite.expiresAt.getTime() <= deps.now().getTime()) throw new ApiError(410, 'invite_expired', 'this invite code has expired; ask for a new one');
      if (invite.uses >= invite.maxUses) throw new ApiError(410, 'invite_used_up', 'this invite code has already been used');
    }
    res.set('Cache-Control', 'private, no-store');
    res.json({
      family: { id: invite.family.id, name: invite.family.name },
      inviter: { nickname: invite.inviterNickname },
      expires_at: invite.expiresAt.toISOString(),
      already_member: alreadyMember,
    } satisfies InvitePreviewResponse);
  });

  return router;
}
