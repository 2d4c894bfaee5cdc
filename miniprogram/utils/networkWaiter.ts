/**
 * What a large upload waits on after a part has used its attempts on a network failure: the
 * network coming back (`wx.onNetworkStatusChange` with `isConnected`:
 * https://developers.weixin.qq.com/miniprogram/dev/api/device/network/wx.onNetworkStatusChange.html),
 * the app returning to the foreground (`wx.onAppShow`: a Mini Program's network calls fail a few
 * seconds after it is hidden, https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/operating-mechanism.html),
 * or, failing both, `fallbackMs` — a link that says it is up but drops the parts is tried again
 * after a while rather than waited on for ever.
 */
export interface NetworkEvents {
  onNetworkStatusChange(listener: (res: { isConnected: boolean }) => void): void;
  onAppShow(listener: () => void): void;
}

export function createNetworkWaiter(events: NetworkEvents, options: { sleep: (ms: number) => Promise<void>; fallbackMs?: number }): () => Promise<void> {
  const fallbackMs = options.fallbackMs ?? 30_000;
  let waiting: Array<() => void> = [];
  const wake = () => {
    const toWake = waiting;
    waiting = [];
    for (const resolve of toWake) resolve();
  };
  events.onNetworkStatusChange((res) => {
    if (res?.isConnected) wake();
  });
  events.onAppShow(wake);
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      void options.sleep(fallbackMs).then(() => {
        waiting = waiting.filter((r) => r !== resolve);
        resolve();
      });
    });
}
