export interface TtlCache<K, V> {
  /** The value while it is younger than the cache's lifetime; undefined after. */
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  delete(key: K): void;
}

/**
 * A small in-memory cache whose entries live `ttlMs` by the given clock, at most `maxEntries` of
 * them (the oldest go first). For answers that may be a few seconds stale on this instance.
 */
export function createTtlCache<K, V>(options: { ttlMs: number; now: () => Date; maxEntries: number }): TtlCache<K, V> {
  const entries = new Map<K, { value: V; expiresAtMs: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (options.now().getTime() < entry.expiresAtMs) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key, value) {
      entries.delete(key); // re-insert: Map order is age order
      entries.set(key, { value, expiresAtMs: options.now().getTime() + options.ttlMs });
      for (const oldest of entries.keys()) {
        if (entries.size <= options.maxEntries) break;
        entries.delete(oldest);
      }
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
