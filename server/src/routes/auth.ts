import { Router } from 'express';
import { z } from 'zod';
import { ROUTES, type LoginRequest, type LoginResponse } from '../../../typings';
import { ApiError } from '../http/ApiError';
import { currentTokenHash, enforceRate, hashToken, requireSession } from '../http/middleware';
import { validate } from '../http/validate';
import { WechatLoginError } from '../wechat/code2Session';
import type { AppDeps, RateLimiters } from './AppDeps';

const loginBody = z.object({ code: z.string().min(1, 'must not be empty').max(256) }) satisfies z.ZodType<LoginRequest>;

/** WeChat's answers to a code that is wrong, used or rate-limited: the caller's problem, not ours. */
const CODE_REJECTED = new Set([40029, 40163, 40226]);

export function authRoutes(deps: AppDeps, limits: RateLimiters): Router {
  const router = Router();
  router.post(ROUTES.login, async (req, res) => {
    enforceRate(limits.loginPerIp, req.ip ?? 'unknown', 'login');
    const { code } = validate(loginBody, req.body);
    let openid: string;
    try {
      ({ openid } = await deps.code2Session(code));
    } catch (error) {
      if (error instanceof WechatLoginError && error.errcode !== undefined && CODE_REJECTED.has(error.errcode)) {
        throw new ApiError(401, 'invalid_code', 'WeChat rejected the login code; call wx.login again');
      }
      if (error instanceof WechatLoginError && error.errcode === 45011) throw new ApiError(429, 'rate_limited', 'WeChat is rate limiting logins; retry shortly');
      throw new ApiError(502, 'wechat_unavailable', 'WeChat login is unavailable; retry shortly');
    }
    enforceRate(limits.loginPerUser, openid, 'login');
    const now = deps.now();
    const user = await deps.store.upsertUser(openid, now);
    const token = deps.randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + deps.config.limits.sessionTtlSec * 1000);
    await deps.store.createSession({ tokenHash: hashToken(token), userId: user.id, expiresAt, now });
    const body: LoginResponse = { token, expires_at: expiresAt.toISOString(), user: { id: user.id, openid: user.openid } };
    res.json(body);
  });

  /** Ends this session: the token stops working at once, on every instance. */
  router.post(ROUTES.logout, requireSession(deps.store, deps.now), async (_req, res) => {
    await deps.store.deleteSession(currentTokenHash(res));
    res.status(204).end();
  });
  return router;
}
