import { deferred } from '../../../testkit/deferred';
import { ConfigError, loadConfig } from '../config';
import { CLOCK_SKEW_SEC, createCredentialCache, credentialRefreshMarginSec, MIN_CREDENTIAL_USE_SEC, TemporaryCredentials } from './cachedCredentials';

const credentialsUntil = (expiration: Date, id = 'STS.one'): TemporaryCredentials => ({
  accessKeyId: id,
  accessKeySecret: 'secret',
  securityToken: 'token',
  expiration,
});

describe('createCredentialCache', () => {
  let nowMs = Date.parse('2026-01-01T00:00:00Z');
  const now = () => new Date(nowMs);
  beforeEach(() => {
    nowMs = Date.parse('2026-01-01T00:00:00Z');
  });

  test('100 concurrent callers on a cold cache share one fetch', async () => {
    const pending = deferred<TemporaryCredentials>();
    const fetch = jest.fn(() => pending.promise);
    const cache = createCredentialCache(fetch, { now, refreshMarginSec: 600 });
    const all = Promise.all(Array.from({ length: 100 }, () => cache.get()));
    pending.resolve(credentialsUntil(new Date(nowMs + 3600_000)));
    const results = await all;
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(cache.fetchCount()).toBe(1);
    expect(new Set(results.map((r) => r.accessKeyId))).toEqual(new Set(['STS.one']));
  });

  test('reuses credentials while the margin remains, refreshes once it does not', async () => {
    let n = 0;
    const fetch = jest.fn(async () => credentialsUntil(new Date(nowMs + 3600_000), `STS.${++n}`));
    const cache = createCredentialCache(fetch, { now, refreshMarginSec: 600 });
    expect((await cache.get()).accessKeyId).toBe('STS.1');
    nowMs += 2999_000; // 601 s left
    expect((await cache.get()).accessKeyId).toBe('STS.1');
    nowMs += 1000; // 600 s left: no longer enough
    expect((await cache.get()).accessKeyId).toBe('STS.2');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test('a failed fetch reaches every waiting caller and is not cached', async () => {
    const fetch = jest
      .fn<Promise<TemporaryCredentials>, []>()
      .mockRejectedValueOnce(new Error('sts down'))
      .mockResolvedValueOnce(credentialsUntil(new Date(nowMs + 3600_000)));
    const cache = createCredentialCache(fetch, { now, refreshMarginSec: 600 });
    const results = await Promise.allSettled([cache.get(), cache.get()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((await cache.get()).accessKeyId).toBe('STS.one');
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});

describe('credentialRefreshMarginSec', () => {
  test('is the longest lifetime handed out plus the clock skew', () => {
    expect(credentialRefreshMarginSec({ policyTtlSec: 600, viewUrlTtlSec: 1800 })).toBe(1800 + CLOCK_SKEW_SEC);
    expect(credentialRefreshMarginSec({ policyTtlSec: 900, viewUrlTtlSec: 300 })).toBe(900 + CLOCK_SKEW_SEC);
  });

  test('startup refuses an STS lifetime that cannot outlive the URLs and policies, naming the setting and the rule', () => {
    expect(() => loadConfig({})).not.toThrow();
    expect(() => loadConfig({ VIEW_URL_TTL_SECONDS: '3600' })).toThrow(/STS_DURATION_SECONDS must exceed the larger of VIEW_URL_TTL_SECONDS and POLICY_TTL_SECONDS/);
    expect(() => loadConfig({ STS_DURATION_SECONDS: '900' })).toThrow(ConfigError);
    const fits = 3600 + CLOCK_SKEW_SEC + MIN_CREDENTIAL_USE_SEC;
    expect(loadConfig({ VIEW_URL_TTL_SECONDS: '3600', STS_DURATION_SECONDS: String(fits) }).sts.durationSec).toBe(fits);
    expect(() => loadConfig({ VIEW_URL_TTL_SECONDS: '3600', STS_DURATION_SECONDS: String(fits - 1) })).toThrow(ConfigError);
  });
});
