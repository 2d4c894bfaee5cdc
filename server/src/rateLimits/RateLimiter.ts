export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until the next request would be allowed (0 when allowed). */
  retryAfterSec: number;
}

/** A budget per key (an IP, a user id): in this process's memory, or shared through Redis. */
export interface RateLimiter {
  /** Spends `points` (1 by default) of the key's budget, or says how long to wait. */
  take(key: string, points?: number): Promise<RateDecision>;
  /** Gives back points taken but not used (a commit reserves a HEAD per item and may make fewer). */
  refund(key: string, points: number): Promise<void>;
}
