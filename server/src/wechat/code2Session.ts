export interface WechatSession {
  openid: string;
  unionid?: string;
}

export class WechatLoginError extends Error {
  constructor(
    readonly errcode: number | undefined,
    message: string,
  ) {
    super(message);
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
    const response = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    if (!response.ok) throw new WechatLoginError(undefined, `code2Session answered HTTP ${response.status}`);
    // WeChat answers JSON as text/plain, and errors with HTTP 200 and an errcode.
    const body = JSON.parse(await response.text()) as { openid?: unknown; unionid?: unknown; errcode?: number; errmsg?: string };
    if (body.errcode) throw new WechatLoginError(body.errcode, `code2Session errcode ${body.errcode}: ${body.errmsg ?? ''}`.trim());
    if (typeof body.openid !== 'string' || !body.openid) throw new WechatLoginError(undefined, 'code2Session answered without an openid');
    return { openid: body.openid, unionid: typeof body.unionid === 'string' ? body.unionid : undefined };
  };
}
