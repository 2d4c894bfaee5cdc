import { createWechatEmulator, DEFAULT_DEVELOPER_OPENID, type WechatEmulator } from '../../localcloud/wechat';

const APP_ID = 'wx1234567890abcdef';
const APP_SECRET = 'integration-app-secret';

let emulator: WechatEmulator;
let baseUrl: string;

beforeAll(async () => {
  emulator = createWechatEmulator({ appId: APP_ID, appSecret: APP_SECRET });
  ({ url: baseUrl } = await emulator.listen());
});

afterAll(() => emulator.close());

/** The call a server makes, over real HTTP with fetch. */
async function jscode2session(query: Record<string, string>): Promise<{ status: number; contentType: string | null; body: Record<string, unknown> }> {
  const params = new URLSearchParams({ appid: APP_ID, secret: APP_SECRET, grant_type: 'authorization_code', ...query });
  const response = await fetch(`${baseUrl}/sns/jscode2session?${params}`);
  return { status: response.status, contentType: response.headers.get('content-type'), body: JSON.parse(await response.text()) };
}

const RID = /, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/;

describe('WeChat code2Session emulator', () => {
  test('test:<name> logs in as openid <name>, as often as asked, with a stable session key', async () => {
    const alice = await jscode2session({ js_code: 'test:alice' });
    expect(alice.status).toBe(200);
    expect(alice.contentType).toBe('text/plain');
    expect(alice.body).toEqual({ session_key: expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/), openid: 'alice' });
    expect((await jscode2session({ js_code: 'test:alice' })).body).toEqual(alice.body);

    const bob = await jscode2session({ js_code: 'test:bob' });
    expect(bob.body.openid).toBe('bob');
    expect(bob.body.session_key).not.toBe(alice.body.session_key);
  });

  test('a DevTools-like code is the developer, the same openid for every fresh code; a spent code is 40163', async () => {
    const first = await jscode2session({ js_code: '0e3QmFGa1TpXyH0Zq1Ia1WUSMa3QmFGf' });
    const second = await jscode2session({ js_code: '0c3abcDEF1TpXyH0Zq1Ia1WUSMa3Qm9z' });
    expect(first.body).toEqual({ session_key: expect.any(String), openid: DEFAULT_DEVELOPER_OPENID });
    expect(second.body.openid).toBe(DEFAULT_DEVELOPER_OPENID);

    const reused = await jscode2session({ js_code: '0e3QmFGa1TpXyH0Zq1Ia1WUSMa3QmFGf' });
    expect(reused.status).toBe(200);
    expect(reused.body).toEqual({ errcode: 40163, errmsg: expect.stringMatching(/^code been used/) });
  });

  test.each([
    ['an empty code', ''],
    ['a malformed code', 'has spaces in it'],
    ['a bad test name', 'test:no/slashes'],
  ])('%s is 40029 with HTTP 200', async (_label, code) => {
    const answer = await jscode2session({ js_code: code });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ errcode: 40029, errmsg: expect.stringMatching(/^invalid code/) });
    expect(answer.body.errmsg).toMatch(RID);
  });

  test('a missing code is 40029 too', async () => {
    const response = await fetch(`${baseUrl}/sns/jscode2session?appid=${APP_ID}&secret=${APP_SECRET}&grant_type=authorization_code`);
    expect(JSON.parse(await response.text())).toMatchObject({ errcode: 40029 });
  });

  test('a wrong secret is 40125, a wrong appid 40013, a wrong grant type 40002', async () => {
    expect((await jscode2session({ js_code: 'test:alice', secret: 'wrong' })).body).toEqual({ errcode: 40125, errmsg: expect.stringMatching(/^invalid appsecret, rid: /) });
    expect((await jscode2session({ js_code: 'test:alice', appid: 'wx0000000000000000' })).body).toMatchObject({ errcode: 40013 });
    expect((await jscode2session({ js_code: 'test:alice', grant_type: 'client_credential' })).body).toMatchObject({ errcode: 40002 });
  });

  test('other paths are 404, and stats count the calls', async () => {
    emulator.resetStats();
    expect((await fetch(`${baseUrl}/cgi-bin/token`)).status).toBe(404);
    await jscode2session({ js_code: 'test:alice' });
    await jscode2session({ js_code: '' });
    expect(emulator.stats()).toEqual({ code2SessionCalls: 2 });
  });

  test('the developer openid and unionid can be configured', async () => {
    const custom = createWechatEmulator({ appId: APP_ID, appSecret: APP_SECRET, developerOpenId: 'oMyOwnOpenId', unionId: true });
    const { url } = await custom.listen();
    try {
      const response = await fetch(`${url}/sns/jscode2session?appid=${APP_ID}&secret=${APP_SECRET}&grant_type=authorization_code&js_code=abc123`);
      expect(JSON.parse(await response.text())).toEqual({ session_key: expect.any(String), openid: 'oMyOwnOpenId', unionid: expect.stringMatching(/^o.{27}$/) });
    } finally {
      await custom.close();
    }
  });
});
