import type { Session, Store } from './store/Store';
import { createTtlCache } from './ttlCache';

/**
 * How long an instance trusts a session it has looked up. A logout (or expiry) is seen at once by
 * the instance that served it; another instance may accept the token for up to this long after.
 */
export const SESSION_CACHE_MS = 5_000;

export interface SessionLookup {
  /** The live session of a token hash: from the last few seconds' lookups, or the store. */
  find(tokenHash: string): Promise<Session | undefined>;
  /** Forgets a session on this instance at once (logout). */
  forget(tokenHash: string): void;
}

/** Every authenticated request needs its session: the hot signature route paid a query for it each time. */
export function createSessionLookup(store: Store, now: () => Date): SessionLookup {
  const cache = createTtlCache<string, Session>({ ttlMs: SESSION_CACHE_MS, now, maxEntries: 10_000 });
  return {
    async find(tokenHash) {
      const at = now();
      const cached = cache.get(tokenHash);
      if (cached && cached.expiresAt.getTime() > at.getTime()) return cached;
      const session = await store.findSession(tokenHash, at);
      if (session) cache.set(tokenHash, session);
      else cache.delete(tokenHash);
      return session;
    },
    forget: (tokenHash) => cache.delete(tokenHash),
  };
}
