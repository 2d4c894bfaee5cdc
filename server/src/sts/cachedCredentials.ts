import type { OssCredentials } from '../../../oss-signer';

export interface TemporaryCredentials extends Required<OssCredentials> {
  expiration: Date;
}

export interface CredentialCache {
  /** Live credentials with at least the refresh margin left; concurrent callers share one fetch. */
  get(): Promise<TemporaryCredentials>;
  /** How many times the source was asked (AssumeRole calls). */
  fetchCount(): number;
}

/**
 * Caches temporary credentials and refreshes them `refreshMarginSec` before they expire, so that
 * anything signed with them (a policy, a view URL) can live that long. Concurrent requests on a
 * cold or stale cache share one in-flight fetch (single flight); a failed fetch is not cached.
 */
export function createCredentialCache(fetchCredentials: () => Promise<TemporaryCredentials>, options: { now: () => Date; refreshMarginSec: number }): CredentialCache {
  let current: TemporaryCredentials | undefined;
  let inFlight: Promise<TemporaryCredentials> | undefined;
  let fetches = 0;

  const fresh = (c: TemporaryCredentials | undefined): c is TemporaryCredentials =>
    c !== undefined && c.expiration.getTime() - options.now().getTime() > options.refreshMarginSec * 1000;

  return {
    get() {
      if (fresh(current)) return Promise.resolve(current);
      if (!inFlight) {
        fetches += 1;
        inFlight = fetchCredentials()
          .then((credentials) => {
            current = credentials;
            return credentials;
          })
          .finally(() => {
            inFlight = undefined;
          });
      }
      return inFlight;
    },
    fetchCount: () => fetches,
  };
}
