export interface NonceRegistry {
  /**
   * Records a nonce until `expiresAtMs`; false if it is already recorded and not yet expired
   * at `nowMs` (a replay).
   */
  claim(nonce: string, expiresAtMs: number, nowMs: number): boolean;
  size(): number;
}

/**
 * Remembers signature nonces for as long as the signed request could still be accepted, so a
 * replay inside the freshness window is caught and memory stays bounded by that window. A hard
 * cap evicts the oldest entries first, for the case of an unbounded window.
 */
export function createNonceRegistry(options: { maxEntries: number }): NonceRegistry {
  const expiries = new Map<string, number>();

  const prune = (nowMs: number) => {
    for (const [nonce, expiresAtMs] of expiries) {
      if (expiresAtMs <= nowMs) expiries.delete(nonce);
    }
    // Map iteration follows insertion order, so the first keys are the oldest.
    for (const nonce of expiries.keys()) {
      if (expiries.size < options.maxEntries) break;
      expiries.delete(nonce);
    }
  };

  return {
    claim(nonce, expiresAtMs, nowMs) {
      const known = expiries.get(nonce);
      if (known !== undefined && known > nowMs) return false;
      prune(nowMs);
      expiries.set(nonce, expiresAtMs);
      return true;
    },
    size: () => expiries.size,
  };
}
