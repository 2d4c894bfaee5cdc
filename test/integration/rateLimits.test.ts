import { apiClient, loginAs } from '../../testkit/apiClient';
import { Stack, startStack } from '../../testkit/startStack';

describe('rate limits answer 429 with Retry-After past the configured rate', () => {
  let stack: Stack;
  afterEach(() => stack?.close());

  test('login per IP', async () => {
    stack = await startStack('sqlite', { env: { RATE_LIMIT_LOGIN_PER_IP: '3' } });
    const client = apiClient(stack.api.url);
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await client.post('/auth/login', { code: `test:user${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await client.post('/auth/login', { code: 'test:late' });
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  test('login per user', async () => {
    stack = await startStack('sqlite', { env: { RATE_LIMIT_LOGIN_PER_USER: '2' } });
    const client = apiClient(stack.api.url);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await client.post('/auth/login', { code: 'test:same' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await client.post('/auth/login', { code: 'test:other' })).status).toBe(200);
  });

  test('signature per user, and per IP across users', async () => {
    stack = await startStack('sqlite', { env: { RATE_LIMIT_SIGNATURE_PER_USER: '2', RATE_LIMIT_SIGNATURE_PER_IP: '4' } });
    const a = await loginAs(stack.api.url, 'a');
    const b = await loginAs(stack.api.url, 'b');
    const fa = (await a.client.post('/families', { name: 'a' })).body;
    const fb = (await b.client.post('/families', { name: 'b' })).body;
    const sign = (who: typeof a, f: typeof fa) => who.client.get(`/families/oss/signature?family_id=${f.family.id}&album_id=${f.album.id}`);
    expect([(await sign(a, fa)).status, (await sign(a, fa)).status]).toEqual([200, 200]);
    const third = await sign(a, fa);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await sign(b, fb)).status).toBe(200); // b's own budget; the IP's fourth request (a refused request counts too)
    expect((await sign(b, fb)).status).toBe(429); // the IP's budget is spent
  });

  test('join per user: invite-code guesses from one account', async () => {
    stack = await startStack('sqlite', { env: { RATE_LIMIT_JOIN_PER_USER: '3' } });
    const mallory = await loginAs(stack.api.url, 'mallory');
    const other = await loginAs(stack.api.url, 'other');
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await mallory.client.post('/families/join', { code: `GUESS${i}` })).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
    const refused = await mallory.client.post('/families/join', { code: 'GUESS9' });
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await other.client.post('/families/join', { code: 'GUESS0' })).status).toBe(404);
  });

  test('join per IP: guesses spread over many accounts from one address', async () => {
    stack = await startStack('sqlite', { env: { RATE_LIMIT_JOIN_PER_IP: '3' } });
    const accounts = await Promise.all(['m1', 'm2', 'm3', 'm4'].map((name) => loginAs(stack.api.url, name)));
    const statuses = [];
    for (const account of accounts) statuses.push((await account.client.post('/families/join', { code: 'GUESS' })).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
  });

  test('POST /photos per user', async () => {
    stack = await startStack('sqlite', { env: { RATE_LIMIT_COMMIT_PER_USER: '2' } });
    const alice = await loginAs(stack.api.url, 'alice');
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await alice.client.post('/photos', { data: [{}] })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  describe('the OSS HEADs a commit makes', () => {
    const items = (family: { family: { id: number }; album: { id: number } }, count: number, albumId = family.album.id) =>
      Array.from({ length: count }, (_, i) => {
        const hash = i.toString(16).padStart(32, '0');
        return { album_id: albumId, family_id: family.family.id, file_name: `${i}.jpg`, object_key: `families/${family.family.id}/${hash}.jpg`, file_type: 'image', file_size: 10, hash_value: hash };
      });

    // A stopped clock: the budget refills with time (100 a minute is one every 0.6 s), and a slow machine must not refill it mid-test.
    const stopped = () => {
      const at = new Date();
      return () => at;
    };

    test('are reserved per item, spent per HEAD made, and given back when not made', async () => {
      stack = await startStack('sqlite', { env: { RATE_LIMIT_OSS_HEADS_PER_USER: '100' }, now: stopped() });
      const alice = await loginAs(stack.api.url, 'alice');
      const family = (await alice.client.post('/families', { name: 'f' })).body;
      const heads = () => stack.cloud.oss.stats().requests;
      // Items refused before their HEAD (not the caller's album) cost nothing, however many.
      for (let i = 0; i < 3; i += 1) {
        const answer = await alice.client.post('/photos', { data: items(family, 100, 999_999) });
        expect(answer.status).toBe(200);
        expect(answer.body.failed).toHaveLength(100);
      }
      expect(heads()).toBe(0);
      // 100 new uploads (not yet in OSS): 100 HEADs, the whole budget.
      const spent = await alice.client.post('/photos', { data: items(family, 100) });
      expect(spent.status).toBe(200);
      expect(spent.body.failed.every((f: { code: string }) => f.code === 'object_missing')).toBe(true);
      expect(heads()).toBe(100);
      const refused = await alice.client.post('/photos', { data: items(family, 1) });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(heads()).toBe(100);
    });

    test('50 concurrent 100-item commits from one user make at most the budget of HEADs', async () => {
      stack = await startStack('sqlite', { now: stopped() });
      const alice = await loginAs(stack.api.url, 'alice');
      const family = (await alice.client.post('/families', { name: 'f' })).body;
      const answers = await Promise.all(Array.from({ length: 50 }, () => alice.client.post('/photos', { data: items(family, 100) })));
      const budget = stack.config.rateLimits.ossHeadsPerUser;
      expect(stack.cloud.oss.stats().requests).toBeLessThanOrEqual(budget);
      expect(answers.filter((a) => a.status === 200).length).toBe(budget / 100);
      expect(answers.filter((a) => a.status === 429).every((a) => a.headers.get('retry-after'))).toBe(true);
      expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    }, 60_000);
  });
});

describe('TRUST_PROXY decides whose X-Forwarded-For the per-IP limits believe', () => {
  let stack: Stack;
  afterEach(() => stack?.close());
  const loginFrom = (forwardedFor: string, i: number) => apiClient(stack.api.url).post('/auth/login', { code: `test:user${i}` }, { 'x-forwarded-for': forwardedFor });

  test('0: no proxy is trusted, so a rotating header buys no new budget', async () => {
    stack = await startStack('sqlite', { env: { RATE_LIMIT_LOGIN_PER_IP: '3', TRUST_PROXY: '0' } });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await loginFrom(`198.51.100.${i}`, i)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  test('1: one proxy in front; the address it appends is the client, whatever the client wrote before it', async () => {
    stack = await startStack('sqlite', { env: { RATE_LIMIT_LOGIN_PER_IP: '3', TRUST_PROXY: '1' } });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await loginFrom(`198.51.100.${i}, 203.0.113.9`, i)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // Another client behind the same proxy has its own budget.
    expect((await loginFrom('198.51.100.0, 203.0.113.10', 9)).status).toBe(200);
  });

  test('an address list: only the named proxy is believed', async () => {
    stack = await startStack('sqlite', { env: { RATE_LIMIT_LOGIN_PER_IP: '1', TRUST_PROXY: '192.0.2.1, ::1' } });
    // The connection comes from 127.0.0.1, which is not in the list: its header is ignored.
    expect((await loginFrom('198.51.100.1', 1)).status).toBe(200);
    expect((await loginFrom('198.51.100.2', 2)).status).toBe(429);
  });
});
