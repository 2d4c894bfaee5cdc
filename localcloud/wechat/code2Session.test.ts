import { code2Session, DEVTOOLS_TOURIST_CODE, formatRid, interpretJsCode, sessionKeyFor, unionIdFor, type Code2SessionContext } from './code2Session';

const spent = new Set<string>();
const ctx: Code2SessionContext = {
  appId: 'wx0000000000000001',
  appSecret: 'app-secret',
  developerOpenId: 'oDeveloper',
  sessionKeySecret: 'session-secret',
  unionId: false,
  rid: '65a13fa1-50a5ffef-30645fdc',
  claimCode: (code) => (spent.has(code) ? false : (spent.add(code), true)),
};
const ask = (q: Record<string, string | null>, c: Partial<Code2SessionContext> = {}) =>
  code2Session({ appid: ctx.appId, secret: ctx.appSecret, grant_type: 'authorization_code', ...q }, { ...ctx, ...c });

describe('code2Session', () => {
  test('test:<name> is openid <name>, reusable, with a stable 16-byte session key', () => {
    const first = ask({ js_code: 'test:alice' });
    expect(first).toEqual({ session_key: sessionKeyFor('session-secret', ctx.appId, 'alice'), openid: 'alice' });
    expect(ask({ js_code: 'test:alice' })).toEqual(first);
    expect(Buffer.from((first as { session_key: string }).session_key, 'base64')).toHaveLength(16);
    expect(sessionKeyFor('session-secret', ctx.appId, 'bob')).not.toBe(sessionKeyFor('session-secret', ctx.appId, 'alice'));
  });

  test('a real code is the developer, once', () => {
    expect(ask({ js_code: '0a3Xyz000ABCdef11G2hIj3kLmNo4pQr' })).toMatchObject({ openid: 'oDeveloper' });
    expect(ask({ js_code: '0a3Xyz000ABCdef11G2hIj3kLmNo4pQr' })).toEqual({ errcode: 40163, errmsg: 'code been used, rid: 65a13fa1-50a5ffef-30645fdc' });
    expect(ask({ js_code: DEVTOOLS_TOURIST_CODE })).toMatchObject({ openid: 'oDeveloper' });
    expect(ask({ js_code: DEVTOOLS_TOURIST_CODE })).toMatchObject({ openid: 'oDeveloper' });
  });

  test('a unionid only when asked for, 28 characters', () => {
    const answer = ask({ js_code: 'test:carol' }, { unionId: true });
    expect(answer).toEqual({ session_key: expect.any(String), openid: 'carol', unionid: unionIdFor('session-secret', 'carol') });
    expect((answer as { unionid: string }).unionid).toHaveLength(28);
  });

  test.each([
    [{ appid: null }, 41002, 'appid missing'],
    [{ appid: 'wx-other' }, 40013, 'invalid appid'],
    [{ secret: null }, 41004, 'appsecret missing'],
    [{ secret: 'wrong' }, 40125, 'invalid appsecret'],
    [{ grant_type: 'client_credential' }, 40002, 'invalid grant_type'],
    [{ grant_type: null }, 40002, 'invalid grant_type'],
    [{ js_code: null }, 40029, 'invalid code'],
    [{ js_code: '' }, 40029, 'invalid code'],
    [{ js_code: 'test:' }, 40029, 'invalid code'],
    [{ js_code: 'test:bad name' }, 40029, 'invalid code'],
    [{ js_code: 'has space' }, 40029, 'invalid code'],
    [{ js_code: 'x'.repeat(129) }, 40029, 'invalid code'],
  ])('%j → %d', (q, errcode, text) => {
    expect(ask({ js_code: 'test:alice', ...q })).toEqual({ errcode, errmsg: `${text}, rid: ${ctx.rid}` });
  });
});

describe('interpretJsCode', () => {
  test('names of 1 to 64 of [A-Za-z0-9_-]', () => {
    expect(interpretJsCode(`test:${'a'.repeat(64)}`)).toEqual({ kind: 'test', openid: 'a'.repeat(64) });
    expect(interpretJsCode(`test:${'a'.repeat(65)}`)).toEqual({ kind: 'invalid' });
    expect(interpretJsCode('test:Zed_9-x')).toEqual({ kind: 'test', openid: 'Zed_9-x' });
    expect(interpretJsCode('x'.repeat(128))).toEqual({ kind: 'developer', singleUse: true });
    expect(interpretJsCode('code\n')).toEqual({ kind: 'invalid' });
  });
});

describe('formatRid', () => {
  test('hex unix seconds, then two groups of 8 hex digits', () => {
    expect(formatRid(new Date('2024-01-12T13:33:21Z'), Buffer.from('50a5ffef30645fdc', 'hex'))).toBe('65a13fa1-50a5ffef-30645fdc');
  });
});
