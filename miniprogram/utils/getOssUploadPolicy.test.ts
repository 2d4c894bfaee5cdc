import type { OssUploadConfig } from '../../typings/api';
import { createPolicyProvider, localExpiryMs, parseOssDateMs } from './getOssUploadPolicy';
import type { RequestAPI } from './request';
import { deferred, flush, type Deferred } from '../../testkit/deferred';
import { policyFixture } from '../../testkit/fixtures';

const SIGNED_AT = Date.UTC(2024, 0, 15, 8, 30, 0);

function setup(options: { refreshMarginMs?: number } = {}) {
  let clock = SIGNED_AT;
  const pending: Array<{ query: unknown; answer: Deferred<OssUploadConfig> }> = [];
  const requestAPI = (async (o: { query?: unknown }) => {
    const answer = deferred<OssUploadConfig>();
    pending.push({ query: o.query, answer });
    return answer.promise;
  }) as RequestAPI;
  const provider = createPolicyProvider({ requestAPI, familyId: 7, albumId: 3, now: () => clock, ...options });
  return { provider, pending, advance: (ms: number) => (clock += ms) };
}

test('parseOssDateMs and localExpiryMs measure the life on the server clock, from when we asked', () => {
  expect(parseOssDateMs('20240115T083000Z')).toBe(SIGNED_AT);
  expect(parseOssDateMs('2024-01-15')).toBeUndefined();
  const policy = policyFixture({ ttlSec: 600 });
  // The phone is an hour behind: the policy still has 10 minutes by the phone's clock.
  expect(localExpiryMs(policy, SIGNED_AT - 3_600_000)).toBe(SIGNED_AT - 3_600_000 + 600_000);
  expect(localExpiryMs({ ...policy, date: 'garbage' }, 0)).toBe(SIGNED_AT + 600_000);
});

test('asks once with family and album, reuses the policy, concurrent callers share one request', async () => {
  const { provider, pending } = setup();
  const a = provider.get();
  const b = provider.get();
  await flush();
  expect(pending).toHaveLength(1);
  expect(pending[0].query).toEqual({ family_id: 7, album_id: 3 });
  const policy = policyFixture();
  pending[0].answer.resolve(policy);
  await expect(a).resolves.toBe(policy);
  await expect(b).resolves.toBe(policy);
  await expect(provider.get()).resolves.toBe(policy);
  expect(pending).toHaveLength(1);
});

test('refreshes refreshMarginMs before expiry', async () => {
  const { provider, pending, advance } = setup({ refreshMarginMs: 60_000 });
  const first = provider.get();
  await flush();
  pending[0].answer.resolve(policyFixture({ ttlSec: 600 }));
  await first;
  advance(539_999);
  await provider.get();
  expect(pending).toHaveLength(1);
  advance(1);
  const second = provider.get();
  await flush();
  expect(pending).toHaveLength(2);
  const fresh = policyFixture({ tag: 'p2' });
  pending[1].answer.resolve(fresh);
  await expect(second).resolves.toBe(fresh);
});

test('a short-lived policy is still reused: the margin is at most half its life', async () => {
  const { provider, pending, advance } = setup({ refreshMarginMs: 60_000 });
  const first = provider.get();
  await flush();
  pending[0].answer.resolve(policyFixture({ ttlSec: 60 }));
  await first;
  advance(29_000);
  await provider.get();
  expect(pending).toHaveLength(1);
});

test('invalidate(stale) forgets only that policy; a failed fetch is not cached', async () => {
  const { provider, pending } = setup();
  const first = provider.get();
  await flush();
  const p1 = policyFixture({ tag: 'p1' });
  pending[0].answer.resolve(p1);
  await first;
  provider.invalidate(p1);
  const second = provider.get();
  await flush();
  const p2 = policyFixture({ tag: 'p2' });
  pending[1].answer.resolve(p2);
  await expect(second).resolves.toBe(p2);
  // A late "expired" report about p1 must not throw p2 away.
  provider.invalidate(p1);
  await expect(provider.get()).resolves.toBe(p2);
  expect(pending).toHaveLength(2);
  provider.invalidate();
  const third = provider.get();
  await flush();
  pending[2].answer.reject(new Error('sts down'));
  await expect(third).rejects.toThrow('sts down');
  const fourth = provider.get();
  await flush();
  expect(pending).toHaveLength(4);
  pending[3].answer.resolve(p1);
  await expect(fourth).resolves.toBe(p1);
});
