import { CancelledError, raceCancel, throwIfCancelled } from './cancelToken';
import type { CancelToken } from './types';

export { isRetryableStatus } from './clientError';

/** Errors say for themselves (`retryable`, set from the status where they are made); others never retry. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof CancelledError) return false;
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;
}

export type Jitter = 'full' | 'equal' | 'none';

export interface BackoffOptions {
  /** The first wait; each retry doubles it. */
  baseMs?: number;
  capMs?: number;
  /**
   * 'full' waits random·d, 'equal' d/2 + random·d/2 (never zero, still spread), where
   * d = min(cap, base·2^(retry-1)); spreading keeps phones that failed together from retrying together.
   */
  jitter?: Jitter;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 300, capMs: 10_000, jitter: 'equal' };

/** The wait before retry number `retry` (1 for the first retry), in whole ms. */
export function backoffMs(retry: number, random: () => number, options: BackoffOptions = {}): number {
  const { baseMs, capMs, jitter } = { ...DEFAULT_BACKOFF, ...options };
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
  const r = Math.min(1, Math.max(0, random()));
  if (jitter === 'full') return Math.round(ceiling * r);
  if (jitter === 'equal') return Math.round(ceiling / 2 + (ceiling / 2) * r);
  return Math.round(ceiling);
}

export interface RetryOptions extends BackoffOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  cancel?: CancelToken;
  shouldRetry?: (error: unknown) => boolean;
  /** Told before each wait, for logs and tests. */
  onRetry?: (error: unknown, retry: number, waitMs: number) => void;
}

/** Runs `attempt(n)` (n from 1) until it succeeds, fails for good, runs out of attempts or is cancelled. */
export async function withRetry<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const shouldRetry = options.shouldRetry ?? isRetryable;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts));
  for (let n = 1; ; n++) {
    throwIfCancelled(options.cancel);
    try {
      return await attempt(n);
    } catch (error) {
      if (options.cancel?.cancelled) throw new CancelledError();
      if (n >= maxAttempts || !shouldRetry(error)) throw error;
      const waitMs = backoffMs(n, options.random, options);
      options.onRetry?.(error, n, waitMs);
      await raceCancel(options.sleep(waitMs), options.cancel);
    }
  }
}
