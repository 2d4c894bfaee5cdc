import type Redis from 'ioredis';
import type { Config } from '../config';
import { createMemoryRateLimiter } from './createMemoryRateLimiter';
import { createRedisRateLimiter } from './createRedisRateLimiter';
import type { RateLimiter } from './RateLimiter';

/** The API's budgets, one per configured rate (all per minute). */
export type RateLimiters = Record<keyof Config['rateLimits'], RateLimiter>;

const WINDOW_SEC = 60;

/**
 * Built where the app is assembled (startApi) and handed to createApp: in this process's memory,
 * or in Redis (each budget under its own key prefix) when one is given.
 */
export function createRateLimiters(rates: Config['rateLimits'], options: { now: () => Date; redis?: { client: Redis; keyPrefix: string } }): RateLimiters {
  const entries = (Object.keys(rates) as Array<keyof Config['rateLimits']>).map((name) => {
    const limit = rates[name];
    const limiter = options.redis
      ? createRedisRateLimiter({ redis: options.redis.client, keyPrefix: `${options.redis.keyPrefix}:${name}`, limit, windowSec: WINDOW_SEC })
      : createMemoryRateLimiter({ limit, windowSec: WINDOW_SEC, now: options.now });
    return [name, limiter] as const;
  });
  return Object.fromEntries(entries) as RateLimiters;
}
