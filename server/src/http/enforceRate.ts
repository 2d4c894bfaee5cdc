import { rateLimited } from '../ApiError';
import type { RateLimiter } from '../rateLimits/RateLimiter';

/** Spends from a budget under a key derived from the request; past it, 429 with Retry-After. */
export async function enforceRate(limiter: RateLimiter, key: string, what: string, points = 1): Promise<void> {
  const decision = await limiter.take(key, points);
  if (!decision.allowed) throw rateLimited(`too many ${what} requests; retry in ${decision.retryAfterSec} s`, decision.retryAfterSec);
}
