import { createRequestAPI } from './request';
import { ApiRequestError, buildUrl } from './sendWxRequest';
import { createSession } from './session';
import { createFakeWx, type FakeRequestCall } from '../../testkit/fakeWx';

const BASE = 'http://127.0.0.1:3000/';
const TOKEN_A = 'a'.repeat(43);
const TOKEN_B = 'b'.repeat(43);

function setup(onRequest: (call: FakeRequestCall) => void) {
  let codes = 0;
  const fake = createFakeWx({ onRequest, loginCode: () => `code-${++codes}` });
  const session = createSession({ baseUrl: BASE, wx: fake.wx, storageKey: 'token' });
  const api = createRequestAPI({ baseUrl: BASE, wx: fake.wx, session });
  return { fake, session, api };
}

test('buildUrl joins the base, the path and an encoded query without undefined values', () => {
  expect(buildUrl(BASE, '/families/oss/signature', { family_id: 1, album_id: '2 3', skip: undefined })).toBe('http://127.0.0.1:3000/families/oss/signature?family_id=1&album_id=2%203');
  expect(buildUrl('http://x', 'healthz')).toBe('http://x/healthz');
});

test('sends JSON with the stored bearer token and returns the parsed body', async () => {
  const { fake, api } = setup((call) => call.respond(200, '{"families":[]}'));
  fake.storage.set('token', TOKEN_A);
  await expect(api({ method: 'POST', path: '/families', data: { name: 'x' }, query: { a: 1 } })).resolves.toEqual({ families: [] });
  expect(fake.requests).toHaveLength(1);
  expect(fake.requests[0]).toMatchObject({ url: 'http://127.0.0.1:3000/families?a=1', method: 'POST', data: { name: 'x' } });
  expect(fake.requests[0].header).toMatchObject({ Authorization: `Bearer ${TOKEN_A}`, 'content-type': 'application/json' });
  expect(fake.logins).toBe(0);
});

test('without a token it logs in first: wx.login → POST /auth/login {code} → token stored', async () => {
  const { fake, api, session } = setup((call) => {
    if (call.url.endsWith('/auth/login')) call.respond(200, { token: TOKEN_A, expires_at: '', user: { id: 1, openid: 'o' } });
    else call.respond(200, { ok: true });
  });
  await expect(api({ method: 'GET', path: '/families' })).resolves.toEqual({ ok: true });
  expect(fake.requests.map((r) => [r.method, r.url])).toEqual([
    ['POST', 'http://127.0.0.1:3000/auth/login'],
    ['GET', 'http://127.0.0.1:3000/families'],
  ]);
  expect(fake.requests[0].data).toEqual({ code: 'code-1' });
  expect(fake.requests[0].header.Authorization).toBeUndefined();
  expect(fake.storage.get('token')).toBe(TOKEN_A);
  expect(session.token()).toBe(TOKEN_A);
});

test('a 401 logs in again once and repeats the call once', async () => {
  const { fake, api } = setup((call) => {
    if (call.url.endsWith('/auth/login')) return call.respond(200, { token: TOKEN_B });
    if (call.header.Authorization === `Bearer ${TOKEN_A}`) return call.respond(401, { error: { code: 'unauthorized', message: 'expired' } });
    call.respond(200, { ok: 1 });
  });
  fake.storage.set('token', TOKEN_A);
  await expect(api({ method: 'GET', path: '/families' })).resolves.toEqual({ ok: 1 });
  expect(fake.logins).toBe(1);
  expect(fake.requests.map((r) => r.url.replace(BASE, '/'))).toEqual(['/families', '/auth/login', '/families']);
  expect(fake.storage.get('token')).toBe(TOKEN_B);
});

test('a second 401 is the answer: no login loop', async () => {
  const { fake, api } = setup((call) => {
    if (call.url.endsWith('/auth/login')) return call.respond(200, { token: TOKEN_B });
    call.respond(401, { error: { code: 'unauthorized', message: 'no' } });
  });
  fake.storage.set('token', TOKEN_A);
  await expect(api({ method: 'GET', path: '/families' })).rejects.toMatchObject({ status: 401, code: 'unauthorized', retryable: false });
  expect(fake.logins).toBe(1);
  expect(fake.requests).toHaveLength(3);
});

test('concurrent 401s share one login', async () => {
  const { fake, api } = setup((call) => {
    if (call.url.endsWith('/auth/login')) return void setTimeout(() => call.respond(200, { token: TOKEN_B }), 0);
    if (call.header.Authorization === `Bearer ${TOKEN_A}`) return call.respond(401, { error: { code: 'unauthorized', message: 'expired' } });
    call.respond(200, { url: call.url });
  });
  fake.storage.set('token', TOKEN_A);
  const answers = await Promise.all([1, 2, 3].map((n) => api({ method: 'GET', path: `/n${n}` })));
  expect(answers).toEqual([1, 2, 3].map((n) => ({ url: `http://127.0.0.1:3000/n${n}` })));
  expect(fake.logins).toBe(1);
});

test('errors carry the API code, the status and whether to retry; no answer is status 0', async () => {
  const answers: Array<(call: FakeRequestCall) => void> = [
    (c) => c.respond(404, { error: { code: 'not_found', message: 'album not found' } }),
    (c) => c.respond(503, { error: { code: 'sts_unavailable', message: 'later' } }),
    (c) => c.respond(429, 'Too Many Requests'),
    (c) => c.fail('request:fail net::ERR_CONNECTION_REFUSED'),
    (c) => c.fail('request:fail timeout'),
  ];
  let n = 0;
  const { fake, api } = setup((call) => answers[n++](call));
  fake.storage.set('token', TOKEN_A);
  const errors = [];
  for (let i = 0; i < answers.length; i++) errors.push(await api({ method: 'GET', path: '/x' }).catch((e: unknown) => e));
  expect(errors.every((e) => e instanceof ApiRequestError)).toBe(true);
  expect(errors.map((e) => { const x = e as ApiRequestError; return [x.status, x.code, x.retryable]; })).toEqual([
    [404, 'not_found', false],
    [503, 'sts_unavailable', true],
    [429, 'http_429', true],
    [0, 'network_error', true],
    [0, 'timeout', true],
  ]);
  expect((errors[0] as Error).message).toBe('album not found');
});

test('PATCH goes out as a POST marked X-HTTP-Method-Override: PATCH (wx.request has no PATCH); DELETE goes as itself', async () => {
  const { fake, api } = setup((call) => call.respond(call.method === 'DELETE' ? 204 : 200, call.method === 'DELETE' ? '' : { user: { id: 1 } }));
  fake.storage.set('token', TOKEN_A);
  await expect(api({ method: 'PATCH', path: '/me', data: { nickname: '小明' } })).resolves.toEqual({ user: { id: 1 } });
  await api({ method: 'DELETE', path: '/photos/3' });
  expect(fake.requests.map((r) => [r.method, r.url, r.header['X-HTTP-Method-Override']])).toEqual([
    ['POST', 'http://127.0.0.1:3000/me', 'PATCH'],
    ['DELETE', 'http://127.0.0.1:3000/photos/3', undefined],
  ]);
  expect(fake.requests[0].data).toEqual({ nickname: '小明' });
});
