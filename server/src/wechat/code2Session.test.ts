import { ApiError } from '../ApiError';
import { createCode2Session, WechatLoginError } from './code2Session';

const answering = (respond: () => Response | Promise<Response>) =>
  createCode2Session({ apiBase: 'http://wechat.test', appId: 'wx1', secret: 's', fetch: (async () => respond()) as typeof fetch });
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'text/plain' } });

async function failure(login: (code: string) => Promise<unknown>): Promise<WechatLoginError> {
  const error = await login('c').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WechatLoginError);
  expect(error).toBeInstanceOf(ApiError);
  return error as WechatLoginError;
}

describe('code2Session failures are typed: the status and code the API answers', () => {
  test.each([40029, 40163, 40226])('errcode %d: the code is refused, 401 invalid_code', async (errcode) => {
    const error = await failure(answering(() => json({ errcode, errmsg: 'invalid code' })));
    expect([error.status, error.code, error.errcode]).toEqual([401, 'invalid_code', errcode]);
  });

  test('errcode 45011: WeChat limits us, 429 with Retry-After', async () => {
    const error = await failure(answering(() => json({ errcode: 45011, errmsg: 'api minute-quota reach limit' })));
    expect([error.status, error.code, error.headers['Retry-After']]).toEqual([429, 'rate_limited', '1']);
  });

  test.each([
    ['another errcode', () => json({ errcode: -1, errmsg: 'system busy' })],
    ['an HTTP error', () => json({}, 500)],
    ['a body that is not JSON', () => new Response('<html>')],
    ['no openid', () => json({ session_key: 'k' })],
    ['no answer at all', () => Promise.reject(new TypeError('fetch failed'))],
  ])('%s: 502 wechat_unavailable', async (_what, respond) => {
    const error = await failure(answering(respond));
    expect([error.status, error.code]).toEqual([502, 'wechat_unavailable']);
  });
});
