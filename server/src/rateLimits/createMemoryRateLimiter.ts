import type { RateLimiter } from './RateLimiter';

/**
 * A token bucket per key in this process's memory: `limit` points per `windowSec`, refilled
 * continuously, so a burst of `limit` is allowed and then one point per `windowSec / limit`. Each
 * API instance limits on its own (REDIS_URL shares the budget instead). Idle keys are dropped.
 */
export function createMemoryRateLimiter(options: { limit: number; windowSec: number; now: () => Date; maxKeys?: number }): RateLimiter {
  const refillPerMs = options.limit / (options.windowSec * 1000);
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; atMs: number }>();

  const prune = (nowMs: number) => {
    for (const [key, b] of buckets) if (b.tokens + (nowMs - b.atMs) * refillPerMs >= options.limit) buckets.delete(key);
    // Still full of active keys: forget the oldest rather than grow without bound.
    for (const key of buckets.keys()) {
      if (buckets.size < maxKeys) break;
      buckets.delete(key);
    }
  };

  /** The key's bucket, refilled up to now and moved to the recent end of the map. */
  const bucket = (key: string, nowMs: number) => {
    if (buckets.size >= maxKeys) prune(nowMs);
    const b = buckets.get(key) ?? { tokens: options.limit, atMs: nowMs };
    b.tokens = Math.min(options.limit, b.tokens + (nowMs - b.atMs) * refillPerMs);
    b.atMs = nowMs;
    buckets.delete(key); // re-insert: Map order then tracks recency
    buckets.set(key, b);
    return b;
  };

  return {
    async take(key, points = 1) {
      const b = bucket(key, options.now().getTime());
      if (b.tokens >= points) {
        b.tokens -= points;
        return { allowed: true, retryAfterSec: 0 };
      }
      return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((points - b.tokens) / refillPerMs / 1000)) };
    },
    async refund(key, points) {
      const b = bucket(key, options.now().getTime());
      b.tokens = Math.min(options.limit, b.tokens + points);
    },
  };
}
