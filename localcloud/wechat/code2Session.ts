import { createHmac } from 'node:crypto';

/** What `GET /sns/jscode2session` answers, always with HTTP 200 (WeChat reports errors in the body). */
export type Code2SessionAnswer = { session_key: string; openid: string; unionid?: string } | { errcode: number; errmsg: string };

export interface Code2SessionQuery {
  appid?: string | null;
  secret?: string | null;
  js_code?: string | null;
  grant_type?: string | null;
}

export interface Code2SessionContext {
  appId: string;
  appSecret: string;
  /** The openid every real (non-`test:`) code maps to: the one developer at the DevTools. */
  developerOpenId: string;
  /** Keys the derivation of session keys (and union ids), so they are stable per openid. */
  sessionKeySecret: string;
  unionId: boolean;
  /** WeChat's request id, shown at the end of every errmsg. */
  rid: string;
  /** Marks a single-use code as spent; false if it was spent already. */
  claimCode(code: string): boolean;
}

/**
 * WeChat DevTools in tourist mode (no AppID) hands this out from every `wx.login`; real WeChat
 * refuses it, the local cloud lets a tourist developer in.
 */
export const DEVTOOLS_TOURIST_CODE = 'the code is a mock one';

export type JsCodeMeaning = { kind: 'test'; openid: string } | { kind: 'developer'; singleUse: boolean } | { kind: 'invalid' };

/**
 * `test:<name>` logs in as openid `<name>` (any number of times: tests rely on it); any other
 * code of a plausible shape (DevTools' are 32 alphanumerics) is the developer, once per code.
 */
export function interpretJsCode(code: string | null | undefined): JsCodeMeaning {
  if (!code) return { kind: 'invalid' };
  if (code.startsWith('test:')) {
    const name = code.slice('test:'.length);
    return /^[A-Za-z0-9_-]{1,64}$/.test(name) ? { kind: 'test', openid: name } : { kind: 'invalid' };
  }
  if (code === DEVTOOLS_TOURIST_CODE) return { kind: 'developer', singleUse: false };
  return /^[\x21-\x7e]{1,128}$/.test(code) ? { kind: 'developer', singleUse: true } : { kind: 'invalid' };
}

/** 16 bytes, base64, as WeChat's session_key; a function of the app and the openid. */
export function sessionKeyFor(secret: string, appId: string, openid: string): string {
  return createHmac('sha256', secret).update(`session_key\n${appId}\n${openid}`).digest().subarray(0, 16).toString('base64');
}

/** 28 characters like a real unionid, a function of the openid only (one user across apps). */
export function unionIdFor(secret: string, openid: string): string {
  return `o${createHmac('sha256', secret).update(`unionid\n${openid}`).digest('base64url').slice(0, 27)}`;
}

/** `<unix seconds, hex>-<8 hex>-<8 hex>`, the layout of WeChat's rid. */
export function formatRid(now: Date, random: Buffer): string {
  const seconds = Math.floor(now.getTime() / 1000).toString(16).padStart(8, '0');
  const hex = random.toString('hex').padEnd(16, '0');
  return `${seconds}-${hex.slice(0, 8)}-${hex.slice(8, 16)}`;
}

/** The checks in WeChat's order: app id, secret, grant type, then the code. */
export function code2Session(query: Code2SessionQuery, ctx: Code2SessionContext): Code2SessionAnswer {
  const error = (errcode: number, text: string): Code2SessionAnswer => ({ errcode, errmsg: `${text}, rid: ${ctx.rid}` });

  if (!query.appid) return error(41002, 'appid missing');
  if (query.appid !== ctx.appId) return error(40013, 'invalid appid');
  if (!query.secret) return error(41004, 'appsecret missing');
  if (query.secret !== ctx.appSecret) return error(40125, 'invalid appsecret');
  if (query.grant_type !== 'authorization_code') return error(40002, 'invalid grant_type');

  const code = query.js_code ?? '';
  const meaning = interpretJsCode(code);
  if (meaning.kind === 'invalid') return error(40029, 'invalid code');
  if (meaning.kind === 'developer' && meaning.singleUse && !ctx.claimCode(code)) return error(40163, 'code been used');

  const openid = meaning.kind === 'test' ? meaning.openid : ctx.developerOpenId;
  const answer: Code2SessionAnswer = { session_key: sessionKeyFor(ctx.sessionKeySecret, ctx.appId, openid), openid };
  if (ctx.unionId) answer.unionid = unionIdFor(ctx.sessionKeySecret, openid);
  return answer;
}
