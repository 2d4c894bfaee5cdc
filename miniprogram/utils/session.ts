import { ROUTES } from '@family-album/contract';
import type { LoginResponse } from '../../typings/api';
import { ApiRequestError, buildUrl, errorFromAnswer, sendWxRequest } from './sendWxRequest';
import type { WxApi } from './types';

export interface Session {
  /** The current token, if there is one (it may have expired: the API says so with a 401). */
  token(): string | undefined;
  /** `wx.login` → `POST /auth/login` → a new token, kept in storage. Concurrent calls share one login. */
  relogin(): Promise<string>;
}

export const DEFAULT_SESSION_STORAGE_KEY = 'album_session_token';

export function createSession(options: { baseUrl: string; wx: WxApi; storageKey?: string }): Session {
  const { wx } = options;
  const storageKey = options.storageKey ?? DEFAULT_SESSION_STORAGE_KEY;
  let token: string | undefined;
  let inFlight: Promise<string> | undefined;

  const readStored = (): string | undefined => {
    try {
      const stored: unknown = wx.getStorageSync(storageKey);
      return typeof stored === 'string' && stored !== '' ? stored : undefined;
    } catch {
      return undefined;
    }
  };

  const login = async (): Promise<string> => {
    const code = await wxLoginCode(wx);
    const answer = await sendWxRequest(wx, { url: buildUrl(options.baseUrl, ROUTES.login), method: 'POST', data: { code } });
    if (answer.statusCode < 200 || answer.statusCode >= 300) throw errorFromAnswer(answer);
    const body = answer.data as Partial<LoginResponse> | undefined;
    if (!body || typeof body.token !== 'string' || body.token === '') throw new ApiRequestError(answer.statusCode, 'invalid_response', 'the login answer has no token');
    token = body.token;
    try {
      wx.setStorageSync(storageKey, token);
    } catch {
      // Storage full or unavailable: the token still works for this run; the next start logs in again.
    }
    return token;
  };

  return {
    token: () => token ?? (token = readStored()),
    relogin() {
      inFlight ??= login().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

function wxLoginCode(wx: WxApi): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => {
        if (res.code) resolve(res.code);
        else reject(new ApiRequestError(0, 'login_failed', `wx.login gave no code: ${res.errMsg ?? ''}`));
      },
      fail: (err) => reject(new ApiRequestError(0, 'login_failed', `wx.login failed: ${err?.errMsg ?? 'unknown error'}`, err)),
    });
  });
}
