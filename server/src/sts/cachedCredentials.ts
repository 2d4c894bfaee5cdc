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

/** How far the clocks of OSS, the phone and this server may disagree; every lifetime keeps this much in hand. */
export const CLOCK_SKEW_SEC = 60;
/** Credentials must serve at least this long between AssumeRole calls, or the margin leaves them no use. */
export const MIN_CREDENTIAL_USE_SEC = 300;

/**
 * How long before expiry credentials are replaced: the longest lifetime anything signed with them
 * promises (a view URL or a policy), plus clock skew. Credentials handed out then outlive every
 * URL and policy signed with them, whatever the moment in their life.
 */
export function credentialRefreshMarginSec(limits: { policyTtlSec: number; viewUrlTtlSec: number }): number {
  return Math.max(limits.policyTtlSec, limits.viewUrlTtlSec) + CLOCK_SKEW_SEC;
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
