import { ClientError } from './clientError';
import type { WxApi } from './types';

/**
 * One `wx.request` to the API and what its answer means, with no session: the login call uses it
 * bare, `request.ts` adds the bearer token.
 */

/** A failed API call: `status` 0 when no answer came; `code` the API's error code. */
export class ApiRequestError extends ClientError {}

export interface HttpAnswer {
  statusCode: number;
  data: unknown;
}

/** `wx.request` as a promise that resolves with any HTTP answer and rejects only when none came. */
export function sendWxRequest(
  wx: WxApi,
  options: { url: string; method: 'GET' | 'POST' | 'DELETE'; data?: unknown; header?: Record<string, string>; timeoutMs?: number },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: options.url,
      method: options.method,
      data: options.data as WechatMiniprogram.IAnyObject | undefined,
      header: { 'content-type': 'application/json', ...options.header },
      dataType: 'json',
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      success: (res) => resolve({ statusCode: res.statusCode, data: parseBody(res.data) }),
      fail: (err) => {
        const errMsg = String(err?.errMsg ?? 'request failed');
        const code = /time ?out/i.test(errMsg) ? 'timeout' : 'network_error';
        reject(new ApiRequestError(0, code, errMsg, err));
      },
    });
  });
}

/** WeChat parses JSON when it can; a body it could not parse arrives as text. */
function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** The error an HTTP answer stands for, from the API's `{"error":{"code","message"}}` when present. */
export function errorFromAnswer(answer: HttpAnswer): ApiRequestError {
  const body = answer.data as { error?: { code?: unknown; message?: unknown } } | undefined;
  const apiError = body && typeof body === 'object' ? body.error : undefined;
  const code = typeof apiError?.code === 'string' ? apiError.code : `http_${answer.statusCode}`;
  const message = typeof apiError?.message === 'string' ? apiError.message : `the API answered HTTP ${answer.statusCode}`;
  return new ApiRequestError(answer.statusCode, code, message, answer.data);
}

export function buildUrl(baseUrl: string, path: string, query?: Record<string, string | number | undefined>): string {
  const pairs = Object.entries(query ?? {})
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}${pairs.length ? `?${pairs.join('&')}` : ''}`;
}
