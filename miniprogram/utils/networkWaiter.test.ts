import { deferred } from '../../testkit/deferred';
import { createNetworkWaiter } from './networkWaiter';

function events() {
  const network: Array<(res: { isConnected: boolean }) => void> = [];
  const show: Array<() => void> = [];
  return { network, show, events: { onNetworkStatusChange: (l: (res: { isConnected: boolean }) => void) => void network.push(l), onAppShow: (l: () => void) => void show.push(l) } };
}

test('waits until the network is connected again or the app is shown, or the fallback passes', async () => {
  const e = events();
  const sleeps: Array<ReturnType<typeof deferred<void>>> = [];
  const wait = createNetworkWaiter(e.events, {
    sleep: () => {
      const d = deferred<void>();
      sleeps.push(d);
      return d.promise;
    },
  });
  let woke = 0;
  void wait().then(() => woke++);
  e.network[0]({ isConnected: false });
  await Promise.resolve();
  expect(woke).toBe(0);
  e.network[0]({ isConnected: true });
  await new Promise((r) => setImmediate(r));
  expect(woke).toBe(1);

  void wait().then(() => woke++);
  e.show[0]();
  await new Promise((r) => setImmediate(r));
  expect(woke).toBe(2);

  void wait().then(() => woke++);
  sleeps[2].resolve();
  await new Promise((r) => setImmediate(r));
  expect(woke).toBe(3);
});
