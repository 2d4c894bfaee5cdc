import type { RequestHandler, Response } from 'express';
import { ApiError } from '../ApiError';
import { hashToken } from '../sessionToken';
import type { Session } from '../store/Store';

export interface SessionUser {
  id: number;
  openid: string;
}

/** Where a token hash finds its live session (the store, or a cache in front of it). */
type FindSession = (tokenHash: string) => Promise<Session | undefined>;

/** The authenticated caller; only on routes behind `requireSession`. */
export function currentUser(res: Response): SessionUser {
  return res.locals.user as SessionUser;
}

/** The hash of the caller's session token; only on routes behind `requireSession`. */
export function currentTokenHash(res: Response): string {
  return res.locals.tokenHash as string;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,100})$/;

/** Admits requests with a live session token; 401 otherwise. */
export function requireSession(findSession: FindSession): RequestHandler {
  return async (req, res, next) => {
    const m = BEARER.exec(req.get('authorization') ?? '');
    if (!m) throw new ApiError(401, 'unauthorized', 'a valid session token is required (Authorization: Bearer <token>)');
    const tokenHash = hashToken(m[1]);
    const session = await findSession(tokenHash);
    if (!session) throw new ApiError(401, 'unauthorized', 'the session token is unknown or has expired; log in again');
    res.locals.user = { id: session.userId, openid: session.openid } satisfies SessionUser;
    res.locals.tokenHash = tokenHash;
    next();
  };
}
