import { ApiError } from '../ApiError';

/** AssumeRole failed or answered without credentials: uploads cannot be signed until STS answers again. */
export class StsUnavailableError extends ApiError {
  constructor(detail: string, cause?: unknown) {
    super(503, 'sts_unavailable', 'upload credentials are unavailable right now; retry shortly', { headers: { 'Retry-After': '1' }, cause: cause ?? new Error(detail) });
    this.name = 'StsUnavailableError';
  }
}
