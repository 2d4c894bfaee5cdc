import { createBandwidthThrottle } from './createBandwidthThrottle';

describe('createBandwidthThrottle', () => {
  test('each reservation waits for the bytes before it at the given rate', () => {
    let nowMs = 1000;
    const throttle = createBandwidthThrottle(() => nowMs);
    expect(throttle.reserve(1000, 10_000)).toBe(100);
    expect(throttle.reserve(1000, 10_000)).toBe(200);
    nowMs += 150;
    expect(throttle.reserve(500, 10_000)).toBe(100);
  });

  test('idle time earns no burst, and rate 0 means unlimited', () => {
    let nowMs = 0;
    const throttle = createBandwidthThrottle(() => nowMs);
    nowMs = 10_000;
    expect(throttle.reserve(2000, 1000)).toBe(2000);
    expect(throttle.reserve(1_000_000, 0)).toBe(0);
    expect(throttle.reserve(1000, 1000)).toBe(1000);
  });
});
