import { createMemoryRateLimiter } from './createMemoryRateLimiter';

describe('createMemoryRateLimiter', () => {
  let nowMs = 0;
  const now = () => new Date(nowMs);
  beforeEach(() => {
    nowMs = Date.parse('2026-01-01T00:00:00Z');
  });
  const allowed = async (limiter: ReturnType<typeof createMemoryRateLimiter>, key: string, points?: number) => (await limiter.take(key, points)).allowed;

  test('allows a burst of the limit, then refuses with the wait until one refills', async () => {
    const limiter = createMemoryRateLimiter({ limit: 3, windowSec: 60, now });
    expect([await allowed(limiter, 'ip'), await allowed(limiter, 'ip'), await allowed(limiter, 'ip')]).toEqual([true, true, true]);
    expect(await limiter.take('ip')).toEqual({ allowed: false, retryAfterSec: 20 });
    nowMs += 19_000;
    expect(await limiter.take('ip')).toEqual({ allowed: false, retryAfterSec: 1 });
    nowMs += 1_000;
    expect(await allowed(limiter, 'ip')).toBe(true);
    expect(await allowed(limiter, 'ip')).toBe(false);
  });

  test('keys are independent', async () => {
    const limiter = createMemoryRateLimiter({ limit: 1, windowSec: 60, now });
    expect(await allowed(limiter, 'a')).toBe(true);
    expect(await allowed(limiter, 'a')).toBe(false);
    expect(await allowed(limiter, 'b')).toBe(true);
  });

  test('several points at once, and points given back', async () => {
    const limiter = createMemoryRateLimiter({ limit: 100, windowSec: 60, now });
    expect(await allowed(limiter, 'u', 100)).toBe(true);
    expect(await limiter.take('u', 10)).toEqual({ allowed: false, retryAfterSec: 6 });
    await limiter.refund('u', 30);
    expect(await allowed(limiter, 'u', 30)).toBe(true);
    expect(await allowed(limiter, 'u', 1)).toBe(false);
    // Never more than the limit, however much is given back.
    await limiter.refund('u', 1000);
    expect(await allowed(limiter, 'u', 100)).toBe(true);
    expect(await allowed(limiter, 'u', 1)).toBe(false);
  });

  test('memory stays bounded by maxKeys', async () => {
    const limiter = createMemoryRateLimiter({ limit: 1, windowSec: 60, now, maxKeys: 10 });
    for (let i = 0; i < 1000; i += 1) await limiter.take(`key-${i}`);
    // The most recent key is still limited; the oldest were forgotten.
    expect(await allowed(limiter, 'key-999')).toBe(false);
    expect(await allowed(limiter, 'key-0')).toBe(true);
  });
});
