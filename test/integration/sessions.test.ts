import { hashToken } from '../../server/src/sessionToken';
import { apiClient, loginAs } from '../../testkit/apiClient';
import { startSecondApi } from '../../testkit/startSecondApi';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';
import { SESSION_CACHE_MS } from '../../server/src/sessionLookup';

describe.each(storeKinds())('sessions (%s)', (kind) => {
  let stack: Stack;
  afterEach(() => stack?.close());

  test('the login answer carries a bearer token and is never cached', async () => {
    stack = await startStack(kind);
    const answer = await apiClient(stack.api.url).post('/auth/login', { code: 'test:alice' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  test('expired sessions are purged on a later login, by the clock the API is given', async () => {
    const startMs = Date.parse('2026-06-01T00:00:00Z');
    let nowMs = startMs;
    stack = await startStack(kind, { now: () => new Date(nowMs), env: { SESSION_TTL_SECONDS: '60' } });
    const alice = await loginAs(stack.api.url, 'alice');
    const aliceHash = hashToken(alice.token);
    // Asked as of the moment it was live, the row is there.
    expect(await stack.store.findSession(aliceHash, new Date(startMs))).toBeDefined();
    nowMs += 61_000;
    expect((await alice.client.get('/families')).status).toBe(401);
    const bob = await loginAs(stack.api.url, 'bob');
    // Bob's login removed Alice's expired row, and only expired ones.
    expect(await stack.store.findSession(aliceHash, new Date(startMs))).toBeUndefined();
    expect(await stack.store.findSession(hashToken(bob.token), new Date(nowMs))).toBeDefined();
  });

  test('logout ends the session at once on its instance, and within SESSION_CACHE_MS on another that had it cached', async () => {
    let nowMs = Date.parse('2026-06-01T00:00:00Z');
    const now = () => new Date(nowMs);
    stack = await startStack(kind, { now });
    const other = await startSecondApi(stack, {}, { now });
    try {
      const alice = await loginAs(stack.api.url, 'alice');
      const onOther = apiClient(other.api.url, alice.token);
      // Both instances have looked the session up (and keep it for a few seconds).
      expect((await alice.client.get('/families')).status).toBe(200);
      expect((await onOther.get('/families')).status).toBe(200);
      expect((await alice.client.post('/auth/logout')).status).toBe(204);
      expect((await alice.client.get('/families')).status).toBe(401);
      // The documented window: the other instance still trusts its lookup...
      expect((await onOther.get('/families')).status).toBe(200);
      // ...until it is SESSION_CACHE_MS old.
      nowMs += SESSION_CACHE_MS;
      expect((await onOther.get('/families')).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe.each(storeKinds())('upload signatures (%s)', (kind) => {
  let stack: Stack;
  afterEach(() => stack?.close());

  test("a family's members share one policy for a few seconds, never another family's, and a fresh one after", async () => {
    let nowMs = Date.parse('2026-06-01T00:00:00Z');
    stack = await startStack(kind, { now: () => new Date(nowMs) });
    const owner = await loginAs(stack.api.url, 'owner');
    const member = await loginAs(stack.api.url, 'member');
    const outsider = await loginAs(stack.api.url, 'outsider');
    const { family, album } = (await owner.client.post('/families', { name: 'f' })).body;
    const invite = (await owner.client.post(`/families/${family.id}/invites`, {})).body;
    expect((await member.client.post('/families/join', { code: invite.code })).status).toBe(200);
    const sign = (who: typeof owner) => who.client.get(`/families/oss/signature?family_id=${family.id}&album_id=${album.id}`);

    const first = await sign(owner);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(first.headers.get('cache-control')).toBe('no-store');
    nowMs += 2_000;
    const second = await sign(member);
    expect(second.body).toEqual(first.body);
    // A cached policy is no way in for a non-member.
    expect((await sign(outsider)).status).toBe(404);
    nowMs += 3_000;
    const fresh = await sign(member);
    expect(fresh.body.signature).not.toBe(first.body.signature);
    expect(Date.parse(fresh.body.expire_at)).toBe(nowMs + stack.config.limits.policyTtlSec * 1000);
  });
});
