import { DEFAULT_SESSION_STORAGE_KEY } from '../../../miniprogram/utils/session';
import { eventually } from './eventually';
import type { MiniProgram } from './openMiniProgram';

/**
 * Makes the app's next login someone else, through the client's public API only (so it works on
 * DevTools too): `wx.login` is mocked to hand out the WeChat emulator's `test:<name>` code, and
 * the session the app holds is ended on the server. The app's next API call gets a 401 and logs
 * in again, as `<name>`; a reLaunch makes that call.
 */
export async function logInAs(miniProgram: MiniProgram, apiUrl: string, name: string): Promise<void> {
  await miniProgram.mockWxMethod('login', { code: `test:${name}`, errMsg: 'login:ok' });
  // The app logs in at launch; wait for that session so it cannot land after this one ends. An
  // app opened while no API answered has none: its next call logs in, mocked.
  const token = await eventually(async () => ((await miniProgram.callWxMethod('getStorageSync', DEFAULT_SESSION_STORAGE_KEY)) as string) || undefined, 'the app’s login at launch', {
    timeoutMs: 5_000,
  }).catch(() => undefined);
  if (!token) return;
  const answer = await fetch(`${apiUrl}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  // 401: a session left in DevTools' storage by an earlier run, unknown to this run's API.
  if (answer.status !== 204 && answer.status !== 401) throw new Error(`logout answered ${answer.status}`);
}
