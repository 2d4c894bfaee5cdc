import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../ApiError';

/** body-parser's errors carry a `type`; each becomes the API's own code. */
function bodyParserError(err: { type?: unknown; limit?: unknown; status?: unknown }): ApiError | undefined {
  if (err.type === 'entity.parse.failed') return new ApiError(400, 'invalid_json', 'the body is not valid JSON');
  if (err.type === 'entity.too.large') return new ApiError(413, 'payload_too_large', `the body is larger than ${err.limit} bytes`);
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') return new ApiError(415, 'unsupported_encoding', 'send UTF-8 JSON');
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) return new ApiError(err.status, 'bad_request', 'the request could not be read');
  return undefined;
}

const causeOf = (err: ApiError) => (err.cause instanceof Error ? { name: err.cause.name, message: err.cause.message } : err.cause);

/**
 * The one place errors become answers: `{"error":{"code","message"}}` with the error's status and
 * headers. ApiErrors (the routes' own and the upstream adapters' subclasses) say what to answer;
 * anything else is a bug, logged and hidden behind a 500.
 */
export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  // Errors are rare: a child logger here costs nothing on the hot path.
  const log = (res.locals.logger as Logger | undefined)?.child({ requestId: res.locals.requestId });
  let apiError: ApiError;
  if (err instanceof ApiError) {
    apiError = err;
    if (err.status >= 500) log?.warn({ code: err.code, message: err.message, cause: causeOf(err) }, 'upstream failure');
  } else {
    const fromParser = err && typeof err === 'object' ? bodyParserError(err) : undefined;
    if (fromParser) apiError = fromParser;
    else {
      log?.error({ err: { name: err?.name, message: err?.message, stack: err?.stack } }, 'unhandled error');
      apiError = new ApiError(500, 'internal', 'something went wrong on our side; please retry');
    }
  }
  if (res.headersSent) return;
  res.set(apiError.headers);
  res.status(apiError.status).json({ error: { code: apiError.code, message: apiError.message, ...(apiError.details === undefined ? {} : { details: apiError.details }) } });
};
