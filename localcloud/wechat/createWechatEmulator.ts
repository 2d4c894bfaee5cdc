import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGuardedServer } from '../createGuardedServer';
import { closeServer, listenOn } from '../httpServerLifecycle';
import { code2Session, formatRid } from './code2Session';

export interface WechatEmulatorOptions {
  appId: string;
  appSecret: string;
  /** The openid of whoever logs in from DevTools with a real code; default DEFAULT_DEVELOPER_OPENID. */
  developerOpenId?: string;
  /** Keys the session_key derivation; default the app secret. */
  sessionKeySecret?: string;
  /** Answer a unionid too, as apps bound to an Open Platform account get; default false. */
  unionId?: boolean;
  /** Refuse a real (non-`test:`) code the second time (40163), as WeChat does; default true. */
  singleUseCodes?: boolean;
  now?: () => Date;
  randomBytes?: (size: number) => Buffer;
}

export interface WechatEmulator {
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
  /** `code2SessionCalls`: jscode2session requests received, whatever their outcome. */
  stats(): { code2SessionCalls: number };
  resetStats(): void;
}

/** 28 characters, the length of a real openid. */
export const DEFAULT_DEVELOPER_OPENID = 'oLocalDevOpenId0000000000000';

const MAX_REMEMBERED_CODES = 100_000;

/** The local WeChat API: code2Session only, at the path and with the answers of api.weixin.qq.com. */
export function createWechatEmulator(options: WechatEmulatorOptions): WechatEmulator {
  const now = options.now ?? (() => new Date());
  const randomBytes = options.randomBytes ?? cryptoRandomBytes;
  const singleUse = options.singleUseCodes ?? true;
  // Insertion-ordered, so the oldest spent codes are forgotten first once the cap is reached.
  const spentCodes = new Set<string>();
  let calls = 0;

  const claimCode = (code: string) => {
    if (!singleUse) return true;
    if (spentCodes.has(code)) return false;
    spentCodes.add(code);
    if (spentCodes.size > MAX_REMEMBERED_CODES) spentCodes.delete(spentCodes.values().next().value as string);
    return true;
  };

  /**
   * WeChat's error shape, `{errcode, errmsg}` with the request's rid, from its global codes
   * (https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html):
   * 40066 "invalid url", -1 "system error".
   */
  const errorBody = (errcode: number, errmsg: string) => JSON.stringify({ errcode, errmsg: `${errmsg} rid: ${formatRid(now(), randomBytes(8))}` });
  const sendError = (res: ServerResponse, status: number, errcode: number, errmsg: string, headers: Record<string, string> = {}) => {
    const text = errorBody(errcode, errmsg);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers }).end(text);
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // Any body is ignored, but it must be read for the connection to be reused.
    req.resume();
    let url: URL;
    try {
      // `//host/x` and `http://[` are valid request targets but not URLs: WeChat's "invalid url".
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendError(res, 400, 40066, 'invalid url');
      return;
    }
    if (url.pathname !== '/sns/jscode2session') {
      sendError(res, 404, 40066, 'invalid url');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      sendError(res, 405, 43001, 'require GET method', { Allow: 'GET, POST' });
      return;
    }
    calls += 1;
    const q = url.searchParams;
    const answer = code2Session(
      { appid: q.get('appid'), secret: q.get('secret'), js_code: q.get('js_code'), grant_type: q.get('grant_type') },
      {
        appId: options.appId,
        appSecret: options.appSecret,
        developerOpenId: options.developerOpenId ?? DEFAULT_DEVELOPER_OPENID,
        sessionKeySecret: options.sessionKeySecret ?? options.appSecret,
        unionId: options.unionId ?? false,
        rid: formatRid(now(), randomBytes(8)),
        claimCode,
      },
    );
    const text = JSON.stringify(answer);
    // api.weixin.qq.com labels this JSON text/plain, errors included, always with 200: clients must parse the body.
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) }).end(text);
  }

  const server = createGuardedServer(handle, {
    renderError: (problem, status) => ({
      status,
      contentType: 'application/json; charset=utf-8',
      body: problem === 'internal' ? errorBody(-1, 'system error') : errorBody(40066, 'invalid url'),
    }),
  });

  return {
    listen: (port = 0, host = '127.0.0.1') => listenOn(server, port, host),
    close: () => closeServer(server),
    stats: () => ({ code2SessionCalls: calls }),
    resetStats() {
      calls = 0;
    },
  };
}
