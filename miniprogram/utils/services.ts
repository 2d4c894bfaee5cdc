import { API_BASE_URL } from '../config';
import { createAlbumApi, type AlbumApi } from './albumApi';
import type { NativeDigestMemory } from './computeHash';
import { createFamilyApi, type FamilyApi } from './familyApi';
import { createRequestAPI, type RequestAPI } from './request';
import { createSession, type Session } from './session';
import type { WxApi } from './types';

/** What the app shares with its pages: one session (so one login), the API client on it, and the album API over that. */
export interface AppServices {
  session: Session;
  requestAPI: RequestAPI;
  albumApi: AlbumApi;
  /** Invites, members, the profile, album names and photo deletes. */
  familyApi: FamilyApi;
  /** Whether this client's native MD5 works: learned once per app run. */
  nativeDigest: NativeDigestMemory;
}

export function createServices(wx: WxApi, baseUrl: string = API_BASE_URL): AppServices {
  const session = createSession({ baseUrl, wx });
  const requestAPI = createRequestAPI({ baseUrl, wx, session });
  return { session, requestAPI, albumApi: createAlbumApi(requestAPI), familyApi: createFamilyApi(requestAPI), nativeDigest: {} };
}

/**
 * The app's services after a normal launch; fresh ones where there is no `App()` (a page
 * rendered alone by miniprogram-simulate), so the page works either way.
 */
export function servicesFor(wx: WxApi): AppServices {
  const app = typeof getApp === 'function' ? getApp<{ globalData?: Partial<AppServices> }>({ allowDefault: true }) : undefined;
  const shared = app?.globalData;
  if (shared?.session && shared.requestAPI && shared.albumApi && shared.familyApi && shared.nativeDigest) {
    return { session: shared.session, requestAPI: shared.requestAPI, albumApi: shared.albumApi, familyApi: shared.familyApi, nativeDigest: shared.nativeDigest };
  }
  return createServices(wx);
}
