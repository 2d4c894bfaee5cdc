import type { ApiErrorCode } from '../../../typings';

/** An error the API answers as `{"error":{"code","message"}}` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (code: ApiErrorCode, message: string, details?: unknown) => new ApiError(400, code, message, details);
/** Ids that are not the caller's answer like ids that do not exist: a non-member learns nothing. */
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
