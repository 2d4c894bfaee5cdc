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
});
