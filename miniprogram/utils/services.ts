import { API_BASE_URL } from '../config';
import { createRequestAPI, type RequestAPI } from './request';
import { createSession, type Session } from './session';
import type { WxApi } from './types';

/** What the app shares with its pages: one session (so one login) and the API client on it. */
export interface AppServices {
  session: Session;
  requestAPI: RequestAPI;
}

export function createServices(wx: WxApi, baseUrl: string = API_BASE_URL): AppServices {
  const session = createSession({ baseUrl, wx });
  return { session, requestAPI: createRequestAPI({ baseUrl, wx, session }) };
}

/**
 * The app's services after a normal launch; fresh ones where there is no `App()` (a page
 * rendered alone by miniprogram-simulate), so the page works either way.
 */
export function servicesFor(wx: WxApi): AppServices {
  const app = typeof getApp === 'function' ? getApp<{ globalData?: Partial<AppServices> }>({ allowDefault: true }) : undefined;
  const shared = app?.globalData;
  if (shared?.session && shared.requestAPI) return { session: shared.session, requestAPI: shared.requestAPI };
  return createServices(wx);
}
