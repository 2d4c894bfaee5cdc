/** `success`/`fail`/`complete`, as every asynchronous wx API takes them. */
export interface WxCallbacks {
  success?: (res: any) => void;
  fail?: (err: any) => void;
  complete?: (res: any) => void;
}

/** A failed wx call; `errMsg` is `<api>:fail <reason>`, as WeChat words it. */
export class WxFailure extends Error {
  readonly errMsg: string;
  constructor(
    api: string,
    reason: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${api}:fail ${reason}`);
    this.name = 'WxFailure';
    this.errMsg = this.message;
  }
}

const CALLBACK_LIKE = /^(create|on|off)[A-Z]/;
const SYNC_APIS = new Set([
  'canIUse',
  'base64ToArrayBuffer',
  'arrayBufferToBase64',
  'getFileSystemManager',
  'getUpdateManager',
  'getLogManager',
  'getRealtimeLogManager',
  'getPerformance',
  'getWindowInfo',
  'getDeviceInfo',
  'getAppBaseInfo',
  'getSystemSetting',
  'getAppAuthorizeSetting',
  'getMenuButtonBoundingClientRect',
  'nextTick',
  'reportAnalytics',
  'reportEvent',
  'reportMonitor',
]);

/**
 * Whether a wx API answers by its return value rather than callbacks: `*Sync`, factories and
 * listeners (`create*`, `on*`, `off*`) and a few named ones. `callWxMethod` and mocks rely on it.
 */
export function isSyncApi(name: string): boolean {
  return name.endsWith('Sync') || SYNC_APIS.has(name) || CALLBACK_LIKE.test(name);
}

function failureOf(api: string, error: unknown): Record<string, unknown> & { errMsg: string } {
  if (error instanceof WxFailure) return { ...error.extra, errMsg: error.errMsg };
  const errMsg = (error as { errMsg?: unknown } | undefined)?.errMsg;
  if (typeof errMsg === 'string' && errMsg.includes(':fail')) return { ...(error as object), errMsg };
  const message = error instanceof Error ? error.message : String(error);
  return { errMsg: message.startsWith(`${api}:fail`) ? message : `${api}:fail ${message}` };
}

/**
 * Answers an asynchronous wx API from `work`: `success` then `complete`, or `fail` then
 * `complete`, always on a later tick; without callbacks, a promise (base library ≥ 2.10.2).
 * A result whose errMsg says `:fail` is a failure, as a mocked result may say.
 */
export function answerWxCall(api: string, options: WxCallbacks | undefined, work: () => unknown): Promise<unknown> | undefined {
  const outcome = (async () => {
    const value = (await work()) ?? {};
    const res = typeof value === 'object' ? { errMsg: `${api}:ok`, ...(value as object) } : value;
    const errMsg = (res as { errMsg?: unknown }).errMsg;
    if (typeof errMsg === 'string' && errMsg.includes(':fail')) throw res;
    return res;
  })().catch((error: unknown) => {
    throw failureOf(api, error);
  });
  const callbacks = options ?? {};
  if (!callbacks.success && !callbacks.fail && !callbacks.complete) return outcome;
  outcome.then(
    (res) => {
      try {
        callbacks.success?.(res);
      } finally {
        callbacks.complete?.(res);
      }
    },
    (err) => {
      try {
        callbacks.fail?.(err);
      } finally {
        callbacks.complete?.(err);
      }
    },
  );
  return undefined;
}
