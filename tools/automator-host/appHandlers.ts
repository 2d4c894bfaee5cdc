import { notModelledError, type Handlers } from './dispatcher';
import type { HostContext } from './hostContext';
import type { HostPage } from './miniProgramRuntime';
import { isSyncApi } from './wxCall';

const pageInfo = (page: HostPage) => ({ pageId: page.id, path: page.path, query: page.query });

/** Calls a wx method as `callWxMethod` does: a sync API's return value, or what `success` receives. */
async function callWx(wx: Record<string, unknown>, method: string, args: unknown[]): Promise<unknown> {
  const fn = wx[method];
  if (typeof fn !== 'function') throw new Error(`wx.${method} does not exist`);
  if (isSyncApi(method)) return fn.apply(wx, args);
  const [first, ...rest] = args;
  return new Promise((resolve, reject) => {
    const options = { ...(first as object | undefined), success: resolve, fail: (err: { errMsg?: string }) => reject(new Error(err?.errMsg ?? `${method}:fail`)) };
    const returned: unknown = fn.call(wx, options, ...rest);
    // A mock that returns a promise and ignores the callbacks still answers.
    if (returned instanceof Promise) returned.then(resolve, reject);
  });
}

function noPlugins(method: string, params: { pluginId?: unknown }): void {
  if (params.pluginId !== undefined) throw notModelledError(method, 'plugins');
}

/** The `Tool.*` and `App.*` methods the client sends. */
export function appHandlers(ctx: HostContext): Handlers {
  return {
    'Tool.getInfo': () => ({ SDKVersion: ctx.sdkVersion }),
    'Tool.close': () => ctx.shutdown(),

    'App.getCurrentPage': () => {
      const page = ctx.stack.current();
      if (!page) throw new Error('App.getCurrentPage: no page is open');
      return pageInfo(page);
    },
    'App.getPageStack': () => ({ pageStack: ctx.stack.pages().map(pageInfo) }),
    'App.callWxMethod': async (params) => {
      noPlugins('App.callWxMethod', params);
      return { result: await callWx(ctx.wx, String(params.method), Array.isArray(params.args) ? params.args : []) };
    },
    'App.mockWxMethod': (params) => {
      noPlugins('App.mockWxMethod', params);
      ctx.mocks.apply({ method: String(params.method), ...('result' in params ? { result: params.result } : {}), functionDeclaration: params.functionDeclaration, args: params.args });
    },
    'App.callFunction': async (params) => {
      const fn = ctx.evaluate(String(params.functionDeclaration));
      if (typeof fn !== 'function') throw new Error('App.callFunction: functionDeclaration is not a function');
      return { result: await fn(...(Array.isArray(params.args) ? params.args : [])) };
    },
    'App.enableLog': () => ctx.enableLog(),
    'App.addBinding': (params) => {
      const name = String(params.name);
      (globalThis as Record<string, unknown>)[name] = (...args: unknown[]) => ctx.emit('App.bindingCalled', { name, args });
    },
    'App.exit': () => ctx.exitApp(),
    'App.captureScreenshot': () => {
      throw notModelledError('App.captureScreenshot', 'rendering (screenshots)');
    },
  };
}
