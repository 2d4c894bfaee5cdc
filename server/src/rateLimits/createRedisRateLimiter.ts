import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiter } from './RateLimiter';

/**
 * A budget shared by every API instance through Redis (rate-limiter-flexible: one atomic
 * INCRBY per take, fixed windows of `windowSec`), so N instances together allow exactly `limit`
 * per window. While Redis does not answer, each instance falls back to its own in-memory budget
 * (rate-limiter-flexible's insurance limiter): limits loosen to N × limit rather than refuse all.
 */
export function createRedisRateLimiter(options: { redis: Redis; keyPrefix: string; limit: number; windowSec: number }): RateLimiter {
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: options.keyPrefix,
    points: options.limit,
    duration: options.windowSec,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ points: options.limit, duration: options.windowSec }),
  });
  return {
    async take(key, points = 1) {
      try {
        await limiter.consume(key, points);
        return { allowed: true, retryAfterSec: 0 };
      } catch (refused) {
        if (refused instanceof RateLimiterRes) return { allowed: false, retryAfterSec: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)) };
        throw refused;
      }
    },
    async refund(key, points) {
      if (points > 0) await limiter.reward(key, points);
    },
  };
}
