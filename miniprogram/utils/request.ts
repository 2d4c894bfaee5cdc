import { buildUrl, errorFromAnswer, sendWxRequest } from './sendWxRequest';
import type { Session } from './session';
import type { WxApi } from './types';

export type ApiMethod = 'GET' | 'POST' | 'DELETE';

export type RequestAPI = <T>(options: { method: ApiMethod; path: string; data?: unknown; query?: Record<string, string | number | undefined> }) => Promise<T>;

const isOk = (status: number) => status >= 200 && status < 300;

/**
 * JSON calls to the API with the session's bearer token. A 401 means the session ended: log in
 * again (once) and repeat the call (once). Retrying other failures is the caller's decision.
 */
export function createRequestAPI(options: { baseUrl: string; wx: WxApi; session: Session; timeoutMs?: number }): RequestAPI {
  const { wx, session } = options;
  const send = (token: string, method: ApiMethod, url: string, data: unknown) =>
    sendWxRequest(wx, { url, method, data, header: { Authorization: `Bearer ${token}` }, timeoutMs: options.timeoutMs });

  return async <T>(request: { method: ApiMethod; path: string; data?: unknown; query?: Record<string, string | number | undefined> }): Promise<T> => {
    const url = buildUrl(options.baseUrl, request.path, request.query);
    const token = session.token() ?? (await session.relogin());
    let answer = await send(token, request.method, url, request.data);
    if (answer.statusCode === 401) {
      // Another call may have logged in meanwhile: use its token rather than logging in again.
      const current = session.token();
      const fresh = current && current !== token ? current : await session.relogin();
      answer = await send(fresh, request.method, url, request.data);
    }
    if (!isOk(answer.statusCode)) throw errorFromAnswer(answer);
    return answer.data as T;
  };
}
