import type { NodeWx } from '../../testkit/nodeWx';
import { createWxStorage, type WxStorage } from '../../testkit/wxStorage';
import type { PageStack } from './pageStack';
import type { VirtualFiles } from './virtualFiles';
import { answerWxCall, WxFailure, type WxCallbacks } from './wxCall';

export interface HostWxOptions {
  /** Real HTTP for request/uploadFile, real file reads (disk paths). */
  nodeWx: NodeWx;
  files: VirtualFiles;
  stack: PageStack;
  /** What `wx.login` hands out as `code`. */
  loginCode(): string;
  /** Every API name WeChat has (miniprogram-simulate's list): the ones not modelled here throw. */
  knownApis: Record<string, unknown>;
  /** Static device facts for getSystemInfo & co (simulate's), with the project's base library. */
  sdkVersion: string;
  /** Where `wx` storage lives; default: in memory, for this run only. */
  storage?: WxStorage;
}

type Options = WxCallbacks & Record<string, any>;

/** APIs that wait for a person: on the host a spec answers them with `mockWxMethod`. */
const NEEDS_A_PERSON = [
  'chooseMedia', 'chooseImage', 'chooseVideo', 'chooseMessageFile', 'showModal', 'showActionSheet', 'scanCode', 'chooseLocation', 'chooseAddress',
  'chooseInvoice', 'chooseContact', 'getUserProfile', 'requestPayment', 'requestSubscribeMessage', 'authorize', 'openSetting', 'saveImageToPhotosAlbum', 'saveVideoToPhotosAlbum',
];

/** UI feedback with no result the page can read: acknowledged, nothing drawn. */
const VIEW_ONLY = [
  'showToast', 'hideToast', 'showLoading', 'hideLoading', 'setNavigationBarTitle', 'setNavigationBarColor', 'showNavigationBarLoading', 'hideNavigationBarLoading',
  'pageScrollTo', 'startPullDownRefresh', 'stopPullDownRefresh', 'previewMedia', 'previewImage', 'vibrateShort', 'vibrateLong', 'hideKeyboard', 'setBackgroundColor', 'setBackgroundTextStyle',
];

const STATIC_INFO = ['getSystemInfoSync', 'getWindowInfo', 'getDeviceInfo', 'getAppBaseInfo', 'getSystemSetting', 'getAppAuthorizeSetting'];

export const notModelled = (what: string) =>
  `${what} is not modelled by the headless automator host: mock it with miniProgram.mockWxMethod, or check it in WeChat DevTools (npm run e2e:devtools)`;

/**
 * The `wx` the page sees on the host: real network and files where the upload path needs them,
 * storage and login, the router, static device facts, and view-only calls acknowledged. APIs that
 * wait for a person fail until a spec mocks them; any other API WeChat has throws, naming itself,
 * so nothing passes by silently doing nothing. Returns the object and its originals (for
 * restoring mocks).
 */
export function createHostWx(options: HostWxOptions): { wx: Record<string, unknown>; originals: Record<string, unknown> } {
  const { nodeWx, files, stack } = options;
  const storage = options.storage ?? createWxStorage();
  const fileSystemManager = files.fileSystemManager(nodeWx.getFileSystemManager());
  const known = options.knownApis as Record<string, (...args: unknown[]) => unknown>;
  const withSdk = (info: unknown) => (info && typeof info === 'object' && 'SDKVersion' in info ? { ...info, SDKVersion: options.sdkVersion } : info);

  const wx: Record<string, unknown> = {};
  const standIns = new Map<string, unknown>();
  for (const [name, value] of Object.entries(known)) {
    if (typeof value !== 'function') continue;
    const standIn = () => {
      throw new Error(notModelled(`wx.${name}`));
    };
    standIns.set(name, standIn);
    wx[name] = standIn;
  }
  for (const name of NEEDS_A_PERSON) wx[name] = (o?: Options) => answerWxCall(name, o, () => Promise.reject(new WxFailure(name, notModelled(`wx.${name}`))));
  for (const name of VIEW_ONLY) wx[name] = (o?: Options) => answerWxCall(name, o, () => ({}));
  for (const name of STATIC_INFO) if (typeof known[name] === 'function') wx[name] = () => structuredClone(withSdk(known[name]()));
  wx.getSystemInfo = (o?: Options) => answerWxCall('getSystemInfo', o, () => structuredClone(withSdk(known.getSystemInfoSync())) as object);

  const route = (name: 'reLaunch' | 'navigateTo' | 'redirectTo') => (o: Options) => answerWxCall(name, o, () => void stack[name](String(o?.url ?? '')));

  Object.assign(wx, {
    env: { USER_DATA_PATH: files.userDataPath },
    canIUse(schema: string) {
      const [api, member] = String(schema).split('.');
      if (api === 'getFileSystemManager' || api === 'FileSystemManager') {
        if (nodeWx.canIUse(schema)) return true;
        try {
          return member === undefined || typeof (fileSystemManager as unknown as Record<string, unknown>)[member] === 'function';
        } catch {
          return false;
        }
      }
      // An API we only stand in for is one the page cannot use here (unless a spec mocked it).
      return wx[api] !== undefined && wx[api] !== standIns.get(api);
    },
    base64ToArrayBuffer: (text: string) => new Uint8Array(Buffer.from(text, 'base64')).buffer,
    arrayBufferToBase64: (buffer: ArrayBuffer) => Buffer.from(buffer).toString('base64'),
    nextTick: (fn: () => void) => void setTimeout(fn, 0),

    request: (o: Options) => nodeWx.request(o as WechatMiniprogram.RequestOption),
    uploadFile(o: Options) {
      let filePath: string;
      try {
        filePath = files.toDisk('uploadFile', String(o.filePath));
      } catch (err) {
        answerWxCall('uploadFile', o, () => Promise.reject(err));
        return { abort() {}, onProgressUpdate() {}, offProgressUpdate() {}, onHeadersReceived() {}, offHeadersReceived() {} };
      }
      return nodeWx.uploadFile({ ...(o as WechatMiniprogram.UploadFileOption), filePath });
    },
    getFileSystemManager: () => fileSystemManager,
    // The upload page listens for the network coming back and the app returning to the front; on
    // the host the link never drops and the app is never hidden, so these are taken and never fire.
    onNetworkStatusChange: () => undefined,
    offNetworkStatusChange: () => undefined,
    onAppShow: () => undefined,
    offAppShow: () => undefined,

    login: (o?: Options) => answerWxCall('login', o, () => ({ code: options.loginCode() })),
    checkSession: (o?: Options) => answerWxCall('checkSession', o, () => ({})),

    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key: string, data: unknown) => storage.set(key, data),
    removeStorageSync: (key: string) => storage.delete(key),
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => ({ keys: storage.keys(), currentSize: 0, limitSize: 10240 }),
    getStorage: (o: Options) =>
      answerWxCall('getStorage', o, () => {
        if (!storage.has(o.key)) throw new WxFailure('getStorage', 'data not found');
        return { data: storage.get(o.key) };
      }),
    setStorage: (o: Options) => answerWxCall('setStorage', o, () => storage.set(o.key, o.data)),
    removeStorage: (o: Options) => answerWxCall('removeStorage', o, () => storage.delete(o.key)),
    clearStorage: (o?: Options) => answerWxCall('clearStorage', o, () => storage.clear()),

    reLaunch: route('reLaunch'),
    navigateTo: route('navigateTo'),
    redirectTo: route('redirectTo'),
    navigateBack: (o?: Options) => answerWxCall('navigateBack', o, () => void stack.navigateBack(o?.delta)),
    switchTab: (o: Options) => answerWxCall('switchTab', o, () => Promise.reject(new WxFailure('switchTab', notModelled('the tabBar')))),
  });
  return { wx, originals: { ...wx } };
}
