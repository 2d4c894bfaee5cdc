import { Router } from 'express';
import { z } from 'zod';
import { ROUTES, type LoginRequest, type LoginResponse } from '../../../typings';
import { enforceRate } from '../http/enforceRate';
import { currentTokenHash, requireSession } from '../http/requireSession';
import { validate } from '../http/validate';
import type { SessionLookup } from '../sessionLookup';
import { hashToken } from '../sessionToken';
import type { AppDeps } from './AppDeps';

const loginBody = z.object({ code: z.string().min(1, 'must not be empty').max(256) }) satisfies z.ZodType<LoginRequest>;

/** Expired sessions are removed on login, at most this often per instance (one indexed DELETE). */
const SESSION_PURGE_INTERVAL_MS = 60_000;

export function authRoutes(deps: AppDeps, sessions: SessionLookup): Router {
  const limits = deps.rateLimiters;
  let lastPurgeMs = Number.NEGATIVE_INFINITY;
  const router = Router();
  router.post(ROUTES.login, async (req, res) => {
    await enforceRate(limits.loginPerIp, req.ip ?? 'unknown', 'login');
    const { code } = validate(loginBody, req.body);
    // A code WeChat refuses, or WeChat down, is a typed WechatLoginError: the error handler answers it.
    const { openid } = await deps.code2Session(code);
    await enforceRate(limits.loginPerUser, openid, 'login');
    const now = deps.now();
    const user = await deps.store.upsertUser(openid, now);
    const token = deps.randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + deps.config.limits.sessionTtlSec * 1000);
    await deps.store.createSession({ tokenHash: hashToken(token), userId: user.id, expiresAt, now });
    if (now.getTime() - lastPurgeMs >= SESSION_PURGE_INTERVAL_MS) {
      lastPurgeMs = now.getTime();
      await deps.store.deleteExpiredSessions(now);
    }
    const body: LoginResponse = { token, expires_at: expiresAt.toISOString(), user: { id: user.id, openid: user.openid } };
    // The answer carries a bearer token: no cache between the phone and us may keep it.
    res.set('Cache-Control', 'no-store');
    res.json(body);
  });

  /** Ends this session: the token stops working at once here, and within SESSION_CACHE_MS on every other instance. */
  router.post(ROUTES.logout, requireSession(sessions.find), async (_req, res) => {
    await deps.store.deleteSession(currentTokenHash(res));
    sessions.forget(currentTokenHash(res));
    res.status(204).end();
  });
  return router;
}
