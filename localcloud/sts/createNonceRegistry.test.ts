import { createNonceRegistry } from './createNonceRegistry';

describe('createNonceRegistry', () => {
  test('a nonce is refused while remembered and free again once expired', () => {
    const nonces = createNonceRegistry({ maxEntries: 10 });
    expect(nonces.claim('n1', 2000, 1000)).toBe(true);
    expect(nonces.claim('n1', 3000, 1999)).toBe(false);
    expect(nonces.claim('n2', 3000, 1999)).toBe(true);
    expect(nonces.claim('n1', 4000, 2000)).toBe(true);
  });

  test('expired entries are dropped, so memory follows the window', () => {
    const nonces = createNonceRegistry({ maxEntries: 1000 });
    for (let i = 0; i < 100; i += 1) nonces.claim(`n${i}`, 1000 + i, 0);
    nonces.claim('late', 5000, 2000);
    expect(nonces.size()).toBe(1);
  });

  test('the cap evicts the oldest first', () => {
    const nonces = createNonceRegistry({ maxEntries: 3 });
    for (const n of ['a', 'b', 'c', 'd']) nonces.claim(n, Infinity, 0);
    expect(nonces.size()).toBe(3);
    expect(nonces.claim('a', Infinity, 0)).toBe(true);
    expect(nonces.claim('d', Infinity, 0)).toBe(false);
  });
});
