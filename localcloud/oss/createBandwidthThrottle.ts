/** Hands out transmission slots at a byte rate: how long to hold a chunk before letting it through. */
export interface BandwidthThrottle {
  /** Reserves `bytes` at `bytesPerSec` (0 or less = unlimited) and returns the wait in ms. */
  reserve(bytes: number, bytesPerSec: number): number;
}

/**
 * A virtual clock of when the link is next free: each chunk moves it on by its transmission time.
 * No burst credit accumulates while idle, so a lower bound on transfer time always holds. The rate
 * is passed on every call because tests change faults while uploads run.
 */
export function createBandwidthThrottle(nowMs: () => number): BandwidthThrottle {
  let freeAtMs = 0;
  return {
    reserve(bytes, bytesPerSec) {
      if (!(bytesPerSec > 0)) {
        freeAtMs = 0;
        return 0;
      }
      const now = nowMs();
      freeAtMs = Math.max(now, freeAtMs) + (bytes * 1000) / bytesPerSec;
      return freeAtMs - now;
    },
  };
}
