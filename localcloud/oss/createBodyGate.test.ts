import { createBandwidthThrottle } from './createBandwidthThrottle';
import { createBodyGate } from './createBodyGate';

class Stalled extends Error {}

describe('createBodyGate idle timeout', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const gateWith = (bytesPerSec = 0) => {
    const throttle = createBandwidthThrottle(() => Date.now());
    const gate = createBodyGate({ limits: () => [{ throttle, bytesPerSec }], onCut: () => undefined, idleTimeoutMs: 1000, idleError: () => new Stalled() });
    const failures: unknown[] = [];
    gate.on('error', (err) => failures.push(err));
    gate.resume();
    return { gate, failures };
  };

  test('a body whose bytes keep coming, each within the timeout, never fails', async () => {
    const { gate, failures } = gateWith();
    for (let i = 0; i < 10; i += 1) {
      await jest.advanceTimersByTimeAsync(900);
      gate.write(Buffer.alloc(10));
    }
    gate.end();
    await jest.advanceTimersByTimeAsync(5000);
    expect(failures).toEqual([]);
  });

  test('a body with no byte for the timeout fails with the idle error, before the first byte too', async () => {
    const first = gateWith();
    await jest.advanceTimersByTimeAsync(1001);
    expect(first.failures).toEqual([expect.any(Stalled)]);

    const later = gateWith();
    later.gate.write(Buffer.alloc(10));
    await jest.advanceTimersByTimeAsync(999);
    expect(later.failures).toEqual([]);
    await jest.advanceTimersByTimeAsync(2);
    expect(later.failures).toEqual([expect.any(Stalled)]);
  });

  test('time a chunk spends held back by the bandwidth cap is not idleness', async () => {
    // 100 bytes/s: a 250-byte chunk is held about 2.5 s, longer than the 1 s timeout.
    const { gate, failures } = gateWith(100);
    gate.write(Buffer.alloc(100));
    gate.write(Buffer.alloc(250));
    await jest.advanceTimersByTimeAsync(2600);
    expect(failures).toEqual([]);
  });
});
