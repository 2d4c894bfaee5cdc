import { createTtlCache } from './ttlCache';

describe('createTtlCache', () => {
  let nowMs = 0;
  const now = () => new Date(nowMs);

  test('an entry lives ttlMs by the given clock, and can be dropped at once', () => {
    const cache = createTtlCache<string, number>({ ttlMs: 5000, now, maxEntries: 10 });
    cache.set('a', 1);
    nowMs += 4999;
    expect(cache.get('a')).toBe(1);
    nowMs += 1;
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', 2);
    cache.delete('b');
    expect(cache.get('b')).toBeUndefined();
  });

  test('at most maxEntries, the oldest forgotten first', () => {
    const cache = createTtlCache<number, number>({ ttlMs: 60_000, now, maxEntries: 3 });
    for (let i = 0; i < 5; i += 1) cache.set(i, i);
    expect([0, 1, 2, 3, 4].map((i) => cache.get(i))).toEqual([undefined, undefined, 2, 3, 4]);
  });
});
