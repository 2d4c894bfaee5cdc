import { deferred } from '../../../testkit/deferred';
import { createCachedProbes } from './createCachedProbes';

describe('createCachedProbes', () => {
  let nowMs = 0;
  const now = () => new Date(nowMs);

  test('one round per interval, shared by concurrent callers', async () => {
    let calls = 0;
    const gate = deferred();
    const check = createCachedProbes({ db: async () => { calls += 1; await gate.promise; } }, { now, maxAgeMs: 5000, timeoutMs: 60_000 });
    const waiting = Array.from({ length: 10 }, () => check());
    gate.resolve();
    expect(await Promise.all(waiting)).toEqual(Array(10).fill({ db: true }));
    nowMs += 4999;
    await check();
    expect(calls).toBe(1);
    nowMs += 1;
    await check();
    expect(calls).toBe(2);
  });

  test('a failing or silent probe is false, the others still true', async () => {
    jest.useFakeTimers();
    try {
      const check = createCachedProbes({ up: async () => 1, down: async () => Promise.reject(new Error('no')), silent: () => new Promise(() => {}) }, { now, maxAgeMs: 5000, timeoutMs: 3000 });
      const result = check();
      await jest.advanceTimersByTimeAsync(3000);
      expect(await result).toEqual({ up: true, down: false, silent: false });
    } finally {
      jest.useRealTimers();
    }
  });
});
