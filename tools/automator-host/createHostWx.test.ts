import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NodeWx } from '../../testkit/nodeWx';
import { createHostWx } from './createHostWx';
import type { PageStack } from './pageStack';
import { createVirtualFiles } from './virtualFiles';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'host-wx-test-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function setup() {
  const uploads: string[] = [];
  const routes: string[] = [];
  const nodeWx = {
    canIUse: (schema: string) => schema === 'getFileSystemManager.getFileInfo.object.digestAlgorithm',
    getFileSystemManager: () => ({ readFile: () => undefined, getFileInfo: () => undefined, open: () => undefined, read: () => undefined, close: () => undefined }),
    request: () => ({ abort() {} }),
    uploadFile: (o: { filePath: string }) => {
      uploads.push(o.filePath);
      return { abort() {} };
    },
  } as unknown as NodeWx;
  const stack = {
    reLaunch: (url: string) => routes.push(`reLaunch ${url}`),
    navigateTo: (url: string) => routes.push(`navigateTo ${url}`),
    redirectTo: (url: string) => routes.push(`redirectTo ${url}`),
    navigateBack: (delta?: number) => routes.push(`navigateBack ${delta}`),
  } as unknown as PageStack;
  const { wx } = createHostWx({
    nodeWx,
    files: createVirtualFiles(dataDir),
    stack,
    loginCode: () => 'test:alice',
    knownApis: { getLocation: () => undefined, chooseMedia: () => undefined, getSystemInfoSync: () => ({ SDKVersion: '2.32.3', platform: 'ios' }), env: {} },
    sdkVersion: '3.6.0',
  });
  return { wx: wx as Record<string, any>, uploads, routes };
}

const answer = (fn: (o: object) => unknown, options: object = {}) =>
  new Promise<{ ok: boolean; res: any }>((resolve) => fn({ ...options, success: (res: any) => resolve({ ok: true, res }), fail: (res: any) => resolve({ ok: false, res }) }));

describe('createHostWx', () => {
  test('an API WeChat has but the host does not model throws, naming itself; canIUse says no', () => {
    const { wx } = setup();
    expect(() => wx.getLocation({})).toThrow('wx.getLocation is not modelled by the headless automator host');
    // Events the upload page subscribes to are taken (they never fire on the host), not refused.
    expect(() => wx.onNetworkStatusChange(() => undefined)).not.toThrow();
    expect(() => wx.onAppShow(() => undefined)).not.toThrow();
    expect(wx.canIUse('getLocation')).toBe(false);
    expect(wx.canIUse('request')).toBe(true);
    expect(wx.canIUse('getFileSystemManager.getFileInfo.object.digestAlgorithm')).toBe(true);
    expect(wx.canIUse('getFileSystemManager.writeFileSync')).toBe(true);
    expect(wx.canIUse('getFileSystemManager.rename')).toBe(false);
    expect(wx.noSuchApi).toBeUndefined();
  });

  test('a picker fails until a spec mocks it', async () => {
    const { wx } = setup();
    const picked = await answer(wx.chooseMedia);
    expect(picked.ok).toBe(false);
    expect(picked.res.errMsg).toMatch(/^chooseMedia:fail wx\.chooseMedia is not modelled .*miniProgram\.mockWxMethod/);
    expect(wx.canIUse('chooseMedia')).toBe(true);
  });

  test('login, storage, static device facts with the project base library', async () => {
    const { wx } = setup();
    await expect(answer(wx.login)).resolves.toEqual({ ok: true, res: { errMsg: 'login:ok', code: 'test:alice' } });
    wx.setStorageSync('k', { a: 1 });
    const read = wx.getStorageSync('k');
    read.a = 2;
    expect(wx.getStorageSync('k')).toEqual({ a: 1 });
    wx.clearStorageSync();
    expect(wx.getStorageSync('k')).toBe('');
    expect(wx.getSystemInfoSync()).toEqual({ SDKVersion: '3.6.0', platform: 'ios' });
    expect(wx.env).toEqual({ USER_DATA_PATH: 'wxfile://usr' });
    expect(new Uint8Array(wx.base64ToArrayBuffer(wx.arrayBufferToBase64(new Uint8Array([1, 2]).buffer)))).toEqual(new Uint8Array([1, 2]));
  });

  test('uploads read the file behind a Mini Program path; other paths fail like a phone', async () => {
    const { wx, uploads } = setup();
    wx.uploadFile({ url: 'http://127.0.0.1:1/', filePath: 'wxfile://usr/a.jpg', name: 'file' });
    expect(uploads).toEqual([path.join(dataDir, 'usr', 'a.jpg')]);
    const refused = await answer((o) => wx.uploadFile({ ...o, url: 'http://127.0.0.1:1/', filePath: '/etc/hosts', name: 'file' }));
    expect(refused).toEqual({ ok: false, res: { errMsg: 'uploadFile:fail no such file or directory /etc/hosts', errCode: 1300002 } });
  });

  test('routes go to the page stack; switchTab is refused (no tabBar here)', async () => {
    const { wx, routes } = setup();
    await expect(answer(wx.navigateTo, { url: '/pages/b/index' })).resolves.toEqual({ ok: true, res: { errMsg: 'navigateTo:ok' } });
    await answer(wx.navigateBack, { delta: 2 });
    expect(routes).toEqual(['navigateTo /pages/b/index', 'navigateBack 2']);
    const tab = await answer(wx.switchTab, { url: '/pages/a/index' });
    expect(tab.res.errMsg).toMatch(/^switchTab:fail the tabBar is not modelled/);
  });
});
