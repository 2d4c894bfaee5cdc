import { createHash } from 'node:crypto';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { OssRequestError } from '../ossClient/ossClient';
import type { Store } from '../store/Store';
import { ApiError } from './ApiError';
import type { RateLimiter } from './rateLimiter';

export interface SessionUser {
  id: number;
  openid: string;
}

/** Session tokens are stored only as their SHA-256, so a leaked table grants nothing. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The authenticated caller; only on routes behind `requireSession`. */
export function currentUser(res: Response): SessionUser {
  return res.locals.user as SessionUser;
}

/** The hash of the caller's session token; only on routes behind `requireSession`. */
export function currentTokenHash(res: Response): string {
  return res.locals.tokenHash as string;
}

export function requireSession(store: Store, now: () => Date): RequestHandler {
  return async (req, res, next) => {
    const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(req.get('authorization') ?? '');
    if (!m) throw new ApiError(401, 'unauthorized', 'a valid session token is required (Authorization: Bearer <token>)');
    const tokenHash = hashToken(m[1]);
    const session = await store.findSession(tokenHash, now());
    if (!session) throw new ApiError(401, 'unauthorized', 'the session token is unknown or has expired; log in again');
    res.locals.user = { id: session.userId, openid: session.openid } satisfies SessionUser;
    res.locals.tokenHash = tokenHash;
    next();
  };
}

/**
 * One log line per request, with a request id also sent back; never headers, bodies or query
 * strings. No per-request child logger: on the hot signature route it cost more than the signing.
 */
export function requestLogging(logger: Logger, newRequestId: () => string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const requestId = newRequestId();
    res.locals.requestId = requestId;
    res.locals.logger = logger;
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const user = res.locals.user as SessionUser | undefined;
      logger.info({ requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10, userId: user?.id }, 'request');
    });
    next();
  };
}

export const notFoundRoute: RequestHandler = (req) => {
  throw new ApiError(404, 'not_found', `no route ${req.method} ${req.path}`);
};

/** Answers every error as `{"error":{"code","message"}}`; unexpected ones are logged and hidden. */
export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  // Errors are rare: a child logger here costs nothing on the hot path.
  const log = (res.locals.logger as Logger | undefined)?.child({ requestId: res.locals.requestId });
  let apiError: ApiError;
  if (err instanceof ApiError) apiError = err;
  else if (err?.type === 'entity.parse.failed') apiError = new ApiError(400, 'invalid_json', 'the body is not valid JSON');
  else if (err?.type === 'entity.too.large') apiError = new ApiError(413, 'payload_too_large', `the body is larger than ${err.limit} bytes`);
  else if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') apiError = new ApiError(415, 'unsupported_encoding', 'send UTF-8 JSON');
  else if (err instanceof OssRequestError) {
    // Our storage is slow or down: nothing the caller sent is wrong, and the same request may work soon.
    log?.warn({ err: { message: err.message, status: err.status, ossCode: err.ossCode } }, 'storage unavailable');
    apiError = new ApiError(503, 'storage_unavailable', 'storage is not answering; retry shortly', undefined, { 'Retry-After': '1' });
  } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) apiError = new ApiError(err.status, 'bad_request', 'the request could not be read');
  else {
    log?.error({ err: { name: err?.name, message: err?.message, stack: err?.stack } }, 'unhandled error');
    apiError = new ApiError(500, 'internal', 'something went wrong on our side; please retry');
  }
  if (apiError.status >= 500 && err instanceof ApiError) log?.warn({ code: apiError.code, message: apiError.message }, 'upstream failure');
  if (res.headersSent) return;
  res.set(apiError.headers);
  res.status(apiError.status).json({ error: { code: apiError.code, message: apiError.message, ...(apiError.details === undefined ? {} : { details: apiError.details }) } });
};

/** Checks a limiter under a key derived from the request; 429 with Retry-After past the rate. */
export function enforceRate(limiter: RateLimiter, key: string, what: string): void {
  const decision = limiter.take(key);
  if (!decision.allowed) {
    throw new ApiError(429, 'rate_limited', `too many ${what} requests; retry in ${decision.retryAfterSec} s`, undefined, { 'Retry-After': String(decision.retryAfterSec) });
  }
}
