import { ApiError } from '../ApiError';

export interface WechatSession {
  openid: string;
  unionid?: string;
}

/** WeChat's answers to a code that is wrong, used or rate-limited: the caller's problem, not ours. */
const CODE_REJECTED = new Set([40029, 40163, 40226]);
/** WeChat is limiting this app's logins. */
const WECHAT_RATE_LIMITED = 45011;

/** What an errcode (or no answer, `undefined`) means to the phone. */
function answerFor(errcode: number | undefined): [status: number, code: 'invalid_code' | 'rate_limited' | 'wechat_unavailable', message: string, headers?: Record<string, string>] {
  if (errcode !== undefined && CODE_REJECTED.has(errcode)) return [401, 'invalid_code', 'WeChat rejected the login code; call wx.login again'];
  if (errcode === WECHAT_RATE_LIMITED) return [429, 'rate_limited', 'WeChat is rate limiting logins; retry shortly', { 'Retry-After': '1' }];
  return [502, 'wechat_unavailable', 'WeChat login is unavailable; retry shortly'];
}

/** code2Session failed: WeChat refused the code (401), is limiting us (429), or did not answer well (502). */
export class WechatLoginError extends ApiError {
  constructor(
    readonly errcode: number | undefined,
    detail: string,
    cause?: unknown,
  ) {
    const [status, code, message, headers] = answerFor(errcode);
    super(status, code, message, { headers, cause: cause ?? new Error(detail) });
    this.name = 'WechatLoginError';
  }
}

export interface Code2SessionOptions {
  apiBase: string;
  appId: string;
  secret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** WeChat's code2Session over HTTP; the same call reaches the local emulator and api.weixin.qq.com. */
export function createCode2Session(options: Code2SessionOptions): (code: string) => Promise<WechatSession> {
  const doFetch = options.fetch ?? fetch;
  return async (code) => {
    const url = new URL('/sns/jscode2session', options.apiBase);
    url.search = new URLSearchParams({ appid: options.appId, secret: options.secret, js_code: code, grant_type: 'authorization_code' }).toString();
    let body: { openid?: unknown; unionid?: unknown; errcode?: number; errmsg?: string };
    try {
      const response = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
      if (!response.ok) throw new WechatLoginError(undefined, `code2Session answered HTTP ${response.status}`);
      // WeChat answers JSON as text/plain, and errors with HTTP 200 and an errcode.
      body = JSON.parse(await response.text()) as typeof body;
    } catch (error) {
      if (error instanceof WechatLoginError) throw error;
      throw new WechatLoginError(undefined, 'code2Session did not answer, or not with JSON', error);
    }
    if (body.errcode) throw new WechatLoginError(body.errcode, `code2Session errcode ${body.errcode}: ${body.errmsg ?? ''}`.trim());
    if (typeof body.openid !== 'string' || !body.openid) throw new WechatLoginError(undefined, 'code2Session answered without an openid');
    return { openid: body.openid, unionid: typeof body.unionid === 'string' ? body.unionid : undefined };
  };
}
