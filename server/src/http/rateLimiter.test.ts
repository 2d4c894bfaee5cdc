import { createRateLimiter } from './rateLimiter';

describe('createRateLimiter', () => {
  let nowMs = 0;
  const now = () => new Date(nowMs);
  beforeEach(() => {
    nowMs = Date.parse('2026-01-01T00:00:00Z');
  });

  test('allows a burst of the limit, then refuses with the wait until one refills', () => {
    const limiter = createRateLimiter({ limit: 3, windowSec: 60, now });
    expect([1, 2, 3].map(() => limiter.take('ip').allowed)).toEqual([true, true, true]);
    expect(limiter.take('ip')).toEqual({ allowed: false, retryAfterSec: 20 });
    nowMs += 19_000;
    expect(limiter.take('ip')).toEqual({ allowed: false, retryAfterSec: 1 });
    nowMs += 1_000;
    expect(limiter.take('ip').allowed).toBe(true);
    expect(limiter.take('ip').allowed).toBe(false);
  });

  test('keys are independent', () => {
    const limiter = createRateLimiter({ limit: 1, windowSec: 60, now });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  test('memory stays bounded by maxKeys', () => {
    const limiter = createRateLimiter({ limit: 1, windowSec: 60, now, maxKeys: 10 });
    for (let i = 0; i < 1000; i += 1) limiter.take(`key-${i}`);
    // The most recent key is still limited; the oldest were forgotten.
    expect(limiter.take('key-999').allowed).toBe(false);
    expect(limiter.take('key-0').allowed).toBe(true);
  });
});
