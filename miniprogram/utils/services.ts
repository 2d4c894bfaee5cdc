import { API_BASE_URL } from '../config';
import { createAlbumApi, type AlbumApi } from './albumApi';
import type { NativeDigestMemory } from './computeHash';
import { createRequestAPI, type RequestAPI } from './request';
import { createSession, type Session } from './session';
import type { WxApi } from './types';

/** What the app shares with its pages: one session (so one login), the API client on it, and the album API over that. */
export interface AppServices {
  session: Session;
  requestAPI: RequestAPI;
  albumApi: AlbumApi;
  /** Whether this client's native MD5 works: learned once per app run. */
  nativeDigest: NativeDigestMemory;
}

export function createServices(wx: WxApi, baseUrl: string = API_BASE_URL): AppServices {
  const session = createSession({ baseUrl, wx });
  const requestAPI = createRequestAPI({ baseUrl, wx, session });
  return { session, requestAPI, albumApi: createAlbumApi(requestAPI), nativeDigest: {} };
}

/**
 * The app's services after a normal launch; fresh ones where there is no `App()` (a page
 * rendered alone by miniprogram-simulate), so the page works either way.
 */
export function servicesFor(wx: WxApi): AppServices {
  const app = typeof getApp === 'function' ? getApp<{ globalData?: Partial<AppServices> }>({ allowDefault: true }) : undefined;
  const shared = app?.globalData;
  if (shared?.session && shared.requestAPI && shared.albumApi && shared.nativeDigest) {
    return { session: shared.session, requestAPI: shared.requestAPI, albumApi: shared.albumApi, nativeDigest: shared.nativeDigest };
  }
  return createServices(wx);
}
