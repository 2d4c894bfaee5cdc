import type { RequestHandler } from 'express';
import { ApiError } from '../ApiError';

/** After every route: what nothing answered is a JSON 404, like every other error. */
export const notFoundRoute: RequestHandler = (req) => {
  throw new ApiError(404, 'not_found', `no route ${req.method} ${req.path}`);
};
