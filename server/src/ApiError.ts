import type { ApiErrorCode } from '../../typings';

export interface ApiErrorOptions {
  details?: unknown;
  /** Sent with the answer, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  /** What went wrong underneath (logged for 5xx, never sent). */
  cause?: unknown;
}

/**
 * An error the API answers as `{"error":{"code","message"}}` with its HTTP status. Routes throw
 * it for what the caller got wrong; the upstream adapters (STS, WeChat, the OSS client, the store)
 * throw subclasses for what went wrong beyond us, so the one error handler answers every error
 * without knowing where it came from.
 */
export class ApiError extends Error {
  readonly details?: unknown;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export const badRequest = (code: ApiErrorCode, message: string, details?: unknown) => new ApiError(400, code, message, { details });
/** Ids that are not the caller's answer like ids that do not exist: a non-member learns nothing. */
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

/** A 429 whose `Retry-After` says when the next request may pass. */
export const rateLimited = (message: string, retryAfterSec: number) =>
  new ApiError(429, 'rate_limited', message, { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSec))) } });
