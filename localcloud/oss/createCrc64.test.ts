import { randomBytes } from 'node:crypto';
import { crc64 as referenceCrc64 } from 'crc64-ecma182.js';
import { combineCrc64, createCrc64 } from './createCrc64';

const crcOf = (...chunks: Buffer[]) => {
  const crc = createCrc64();
  for (const chunk of chunks) crc.update(chunk);
  return crc.digest();
};

describe('createCrc64 (CRC-64/ECMA-182 as OSS computes it)', () => {
  test('the catalogue check value and the empty input', () => {
    expect(crcOf(Buffer.from('123456789'))).toBe('11051210869376104954');
    expect(crcOf()).toBe('0');
  });

  test('agrees with the independent crc64-ecma182.js for every length around the 8-byte stride, however split', () => {
    const bytes = randomBytes(300);
    for (let n = 0; n <= bytes.length; n += 1) {
      const slice = bytes.subarray(0, n);
      const cut = Math.floor(n / 3);
      expect(crcOf(slice.subarray(0, cut), slice.subarray(cut))).toBe(referenceCrc64(slice));
    }
  });

  test('a large buffer in odd chunks', () => {
    const bytes = randomBytes(1024 * 1024 + 13);
    const chunks = [];
    for (let at = 0; at < bytes.length; at += 65_537) chunks.push(bytes.subarray(at, at + 65_537));
    expect(crcOf(...chunks)).toBe(referenceCrc64(bytes));
  });

  test('combineCrc64: the CRC of A then B from theirs, for empty, tiny and part-sized pieces, chained as a multipart object', () => {
    const bytes = randomBytes(3 * 100 * 1024 + 77);
    for (const cut of [0, 1, 7, 8, 9, 4096, bytes.length - 1, bytes.length]) {
      const [a, b] = [bytes.subarray(0, cut), bytes.subarray(cut)];
      expect(combineCrc64(crcOf(a), crcOf(b), b.length)).toBe(referenceCrc64(bytes));
    }
    let whole = '0';
    for (let at = 0; at < bytes.length; at += 100 * 1024) {
      const part = bytes.subarray(at, at + 100 * 1024);
      whole = combineCrc64(whole, crcOf(part), part.length);
    }
    expect(whole).toBe(referenceCrc64(bytes));
  });
});
