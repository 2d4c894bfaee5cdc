export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until the next request would be allowed (0 when allowed). */
  retryAfterSec: number;
}

export interface RateLimiter {
  take(key: string): RateDecision;
}

/**
 * A token bucket per key: `limit` requests per `windowSec`, refilled continuously, so a burst of
 * `limit` is allowed and then one request per `windowSec / limit`. In memory: each API instance
 * limits on its own, which bounds abuse per instance without a shared store. Idle keys are dropped.
 */
export function createRateLimiter(options: { limit: number; windowSec: number; now: () => Date; maxKeys?: number }): RateLimiter {
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

  return {
    take(key) {
      const nowMs = options.now().getTime();
      if (buckets.size >= maxKeys) prune(nowMs);
      const b = buckets.get(key) ?? { tokens: options.limit, atMs: nowMs };
      b.tokens = Math.min(options.limit, b.tokens + (nowMs - b.atMs) * refillPerMs);
      b.atMs = nowMs;
      buckets.delete(key); // re-insert: Map order then tracks recency
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { allowed: true, retryAfterSec: 0 };
      }
      return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((1 - b.tokens) / refillPerMs / 1000)) };
    },
  };
}
