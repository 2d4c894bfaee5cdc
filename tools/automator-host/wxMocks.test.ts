import { createWxMocks } from './wxMocks';

function setup() {
  const storage: Record<string, string> = { name: 'stored' };
  const originals: Record<string, unknown> = {
    getStorageSync: (key: string) => storage[key] ?? '',
    getSystemInfo: (o: { success: (r: object) => void }) => setTimeout(() => o.success({ platform: 'devtools', errMsg: 'getSystemInfo:ok' }), 0),
  };
  const wx: Record<string, any> = { ...originals };
  // eslint-disable-next-line no-new-func
  const mocks = createWxMocks({ wx, originals, evaluate: (source) => new Function(`return (${source})`)() });
  return { wx, mocks };
}

const callback = (wx: Record<string, any>, method: string, options: object = {}) =>
  new Promise<{ ok: boolean; res: any }>((resolve) => wx[method]({ ...options, success: (res: any) => resolve({ ok: true, res }), fail: (res: any) => resolve({ ok: false, res }) }));

describe('createWxMocks', () => {
  test('a result: returned by a sync API, handed to success by an async one; restore brings the original back', async () => {
    const { wx, mocks } = setup();
    mocks.apply({ method: 'getStorageSync', result: 'mockValue' });
    expect(wx.getStorageSync('name')).toBe('mockValue');
    mocks.apply({ method: 'chooseMedia', result: { tempFiles: [{ tempFilePath: 'wxfile://a.jpg' }], type: 'image' } });
    await expect(callback(wx, 'chooseMedia')).resolves.toEqual({ ok: true, res: { errMsg: 'chooseMedia:ok', tempFiles: [{ tempFilePath: 'wxfile://a.jpg' }], type: 'image' } });
    expect(mocks.mocked().sort()).toEqual(['chooseMedia', 'getStorageSync']);
    mocks.restore('getStorageSync');
    mocks.apply({ method: 'chooseMedia' });
    expect(wx.getStorageSync('name')).toBe('stored');
    expect(wx.chooseMedia).toBeUndefined();
    expect(mocks.mocked()).toEqual([]);
  });

  test('a result that says :fail reaches fail', async () => {
    const { wx, mocks } = setup();
    mocks.apply({ method: 'chooseMedia', result: { errMsg: 'chooseMedia:fail cancel' } });
    await expect(callback(wx, 'chooseMedia')).resolves.toEqual({ ok: false, res: { errMsg: 'chooseMedia:fail cancel' } });
  });

  test('a function gets the call arguments then the extra ones, and this.origin', async () => {
    const { wx, mocks } = setup();
    mocks.apply({
      method: 'getStorageSync',
      functionDeclaration: 'function (key, fallback) { return key === "name" ? this.origin(key) + "!" : fallback }',
      args: ['unknown'],
    });
    expect(wx.getStorageSync('name')).toBe('stored!');
    expect(wx.getStorageSync('other')).toBe('unknown');

    mocks.apply({
      method: 'getSystemInfo',
      functionDeclaration: 'function (obj, platform) { return new Promise((resolve) => this.origin({ success(res) { res.platform = platform; resolve(res) } })) }',
      args: ['ios'],
    });
    await expect(callback(wx, 'getSystemInfo')).resolves.toEqual({ ok: true, res: { errMsg: 'getSystemInfo:ok', platform: 'ios' } });
  });

  test('an async mock may answer through its callbacks, once', async () => {
    const { wx, mocks } = setup();
    mocks.apply({ method: 'login', functionDeclaration: '(o) => { o.success({ code: "test:bob" }); o.success({ code: "twice" }) }' });
    await expect(callback(wx, 'login')).resolves.toEqual({ ok: true, res: { errMsg: 'login:ok', code: 'test:bob' } });
    mocks.apply({ method: 'login', functionDeclaration: '(o) => o.fail({ errMsg: "login:fail no network" })' });
    await expect(callback(wx, 'login')).resolves.toEqual({ ok: false, res: { errMsg: 'login:fail no network' } });
  });

  test('a declaration that is not a function is refused', () => {
    const { mocks } = setup();
    expect(() => mocks.apply({ method: 'login', functionDeclaration: '42' })).toThrow('mockWxMethod login: functionDeclaration is not a function');
  });
});
