import { answerWxCall, isSyncApi, type WxCallbacks } from './wxCall';

/** `App.mockWxMethod` params: a result, or a function (as source) with extra arguments; neither restores. */
export interface MockSpec {
  method: string;
  result?: unknown;
  functionDeclaration?: string;
  args?: unknown[];
}

export interface WxMocks {
  apply(spec: MockSpec): void;
  restore(method: string): void;
  mocked(): string[];
}

type AnyFunction = (...args: any[]) => any;

const clone = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

/**
 * `mockWxMethod` over a `wx` object, as DevTools documents it
 * (https://developers.weixin.qq.com/miniprogram/dev/devtools/auto/miniprogram.html#miniProgram-mockWxMethod):
 * a result is what a synchronous API returns or what `success` receives; a function receives the
 * call's arguments then the extra `args`, may call `this.origin` (the real method), and answers by
 * its return value (a promise is awaited) or, for an asynchronous API, by calling `success`/`fail`.
 */
export function createWxMocks(options: { wx: Record<string, unknown>; originals: Record<string, unknown>; evaluate: (source: string) => unknown }): WxMocks {
  const { wx, originals } = options;
  const active = new Set<string>();

  function origin(method: string): AnyFunction {
    const real = originals[method];
    return typeof real === 'function' ? (real as AnyFunction).bind(wx) : () => {
      throw new Error(`wx.${method} has no original to call`);
    };
  }

  function fromResult(method: string, result: unknown): AnyFunction {
    if (isSyncApi(method)) return () => clone(result);
    return (callOptions?: WxCallbacks) => answerWxCall(method, callOptions, () => clone(result));
  }

  function fromFunction(method: string, source: string, extra: unknown[]): AnyFunction {
    const fn = options.evaluate(source);
    if (typeof fn !== 'function') throw new Error(`mockWxMethod ${method}: functionDeclaration is not a function`);
    const context = { origin: origin(method) };
    if (isSyncApi(method)) return (...args: unknown[]) => fn.apply(context, [...args, ...extra]);
    return (callOptions: (WxCallbacks & Record<string, unknown>) | undefined, ...rest: unknown[]) =>
      answerWxCall(
        method,
        callOptions,
        () =>
          new Promise((resolve, reject) => {
            // The mock may answer through the callbacks it was given, or by returning; the first wins.
            const forwarded = { ...callOptions, success: resolve, fail: reject, complete: undefined };
            Promise.resolve(fn.apply(context, [forwarded, ...rest, ...extra])).then((value) => {
              if (value !== undefined) resolve(value);
            }, reject);
          }),
      );
  }

  return {
    apply(spec) {
      if (spec.functionDeclaration !== undefined) wx[spec.method] = fromFunction(spec.method, spec.functionDeclaration, spec.args ?? []);
      else if ('result' in spec) wx[spec.method] = fromResult(spec.method, spec.result);
      else return this.restore(spec.method);
      active.add(spec.method);
    },
    restore(method) {
      if (method in originals) wx[method] = originals[method];
      else delete wx[method];
      active.delete(method);
    },
    mocked: () => [...active],
  };
}
