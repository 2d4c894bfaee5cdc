import { hashToken } from '../../server/src/sessionToken';
import { apiClient, loginAs } from '../../testkit/apiClient';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';

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
});
