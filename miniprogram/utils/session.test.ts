import { createSession } from './session';
import { flush } from '../../testkit/deferred';
import { createFakeWx, type FakeRequestCall } from '../../testkit/fakeWx';

const BASE = 'http://127.0.0.1:3000';
const TOKEN_A = 'a'.repeat(43);

test('token() reads storage once a session exists; nothing stored → undefined', () => {
  const fake = createFakeWx();
  const session = createSession({ baseUrl: BASE, wx: fake.wx, storageKey: 'k' });
  expect(session.token()).toBeUndefined();
  fake.storage.set('k', TOKEN_A);
  expect(session.token()).toBe(TOKEN_A);
});

test('login failures settle: wx.login fail, and a refused code', async () => {
  const fake = createFakeWx({ loginCode: () => undefined });
  const session = createSession({ baseUrl: BASE, wx: fake.wx });
  await expect(session.relogin()).rejects.toMatchObject({ code: 'login_failed', retryable: true });
  const refused = createFakeWx({ loginCode: () => 'c', onRequest: (c) => c.respond(401, { error: { code: 'invalid_code', message: 'used' } }) });
  const s2 = createSession({ baseUrl: BASE, wx: refused.wx });
  await expect(s2.relogin()).rejects.toMatchObject({ status: 401, code: 'invalid_code' });
  expect(s2.token()).toBeUndefined();
});

test('relogin is single-flight, and a failed login can be tried again', async () => {
  const calls: FakeRequestCall[] = [];
  const fake = createFakeWx({ loginCode: () => 'c', onRequest: (c) => void calls.push(c) });
  const session = createSession({ baseUrl: BASE, wx: fake.wx });
  const a = session.relogin();
  const b = session.relogin();
  await flush();
  expect(calls).toHaveLength(1);
  calls[0].respond(502, { error: { code: 'wechat_unavailable', message: 'x' } });
  await expect(a).rejects.toMatchObject({ code: 'wechat_unavailable' });
  await expect(b).rejects.toMatchObject({ code: 'wechat_unavailable' });
  const c = session.relogin();
  await flush();
  calls[1].respond(200, { token: TOKEN_A });
  await expect(c).resolves.toBe(TOKEN_A);
  expect(fake.logins).toBe(2);
});
