import { createHash } from 'node:crypto';
import { isOssError } from '../ossError';
import { HeldPart, MIN_PART_BYTES, multipartEtag, parsePartNumber, selectCompleteParts } from './multipartRules';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const held = (...parts: Array<[number, string, number]>) => new Map(parts.map(([partNumber, etag, sizeBytes]): [number, HeldPart] => [partNumber, { partNumber, etag, sizeBytes }]));

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    if (isOssError(err)) return `${err.status} ${err.code}`;
    throw err;
  }
  return 'no error';
}

describe('multipartEtag', () => {
  test('is the upper-case MD5 of the binary part MD5s, then the part count (vectors computed apart, with Python hashlib)', () => {
    expect(multipartEtag([md5('a'), md5('b')])).toBe('96E024BA2074FE77E8E965BA43A704BE-2');
    expect(multipartEtag([md5('a')])).toBe('B6FF9A06B7E20BCB2858C5B8FF744AEA-1');
  });

  test('is not the MD5 of the content', () => {
    expect(multipartEtag([md5('a'), md5('b')]).startsWith(md5('ab').toUpperCase())).toBe(false);
  });
});

describe('parsePartNumber', () => {
  test.each(['1', '10000', '42'])('accepts %s', (text) => expect(parsePartNumber(text)).toBe(Number(text)));
  test.each(['0', '10001', '-1', '1.5', 'x', '', '001000000'])('refuses %j with InvalidArgument', (text) => {
    expect(codeOf(() => parsePartNumber(text))).toBe('400 InvalidArgument');
  });
});

describe('selectCompleteParts', () => {
  const E1 = 'A'.repeat(32);
  const E2 = 'B'.repeat(32);
  const E3 = 'C'.repeat(32);
  const parts = held([1, E1, MIN_PART_BYTES], [2, E2, MIN_PART_BYTES + 1], [5, E3, 1]);

  test('returns the listed parts in order; quotes and case of the ETag do not matter', () => {
    const selected = selectCompleteParts('U', [{ partNumber: 1, etag: `"${E1}"` }, { partNumber: 2, etag: E2.toLowerCase() }, { partNumber: 5, etag: ` "${E3}" ` }], parts);
    expect(selected.map((p) => p.partNumber)).toEqual([1, 2, 5]);
  });

  test('a subset of the held parts is allowed, gaps included', () => {
    expect(selectCompleteParts('U', [{ partNumber: 2, etag: E2 }, { partNumber: 5, etag: E3 }], parts).map((p) => p.partNumber)).toEqual([2, 5]);
  });

  test('descending or repeated numbers are InvalidPartOrder, checked before anything else', () => {
    expect(codeOf(() => selectCompleteParts('U', [{ partNumber: 2, etag: E2 }, { partNumber: 1, etag: 'wrong' }], parts))).toBe('400 InvalidPartOrder');
    expect(codeOf(() => selectCompleteParts('U', [{ partNumber: 1, etag: E1 }, { partNumber: 1, etag: E1 }], parts))).toBe('400 InvalidPartOrder');
  });

  test('a missing part, a wrong ETag, or a number outside 1–10,000 is InvalidPart', () => {
    expect(codeOf(() => selectCompleteParts('U', [{ partNumber: 3, etag: E1 }], parts))).toBe('400 InvalidPart');
    expect(codeOf(() => selectCompleteParts('U', [{ partNumber: 1, etag: E2 }], parts))).toBe('400 InvalidPart');
    expect(codeOf(() => selectCompleteParts('U', [{ partNumber: 10_001, etag: E1 }], held([10_001, E1, 5])))).toBe('400 InvalidPart');
    expect(codeOf(() => selectCompleteParts('U', [{ partNumber: 0, etag: E1 }], held([0, E1, 5])))).toBe('400 InvalidPart');
  });

  test('every part but the last must be at least 100 KB: EntityTooSmall', () => {
    const small = held([1, E1, MIN_PART_BYTES - 1], [2, E2, 10]);
    expect(codeOf(() => selectCompleteParts('U', [{ partNumber: 1, etag: E1 }, { partNumber: 2, etag: E2 }], small))).toBe('400 EntityTooSmall');
    expect(selectCompleteParts('U', [{ partNumber: 2, etag: E2 }], small)).toHaveLength(1);
    expect(codeOf(() => selectCompleteParts('U', [{ partNumber: 5, etag: E3 }, { partNumber: 6, etag: E3 }], held([5, E3, 1], [6, E3, 1])))).toBe('400 EntityTooSmall');
  });

  test('an empty list is MalformedXML', () => {
    expect(codeOf(() => selectCompleteParts('U', [], parts))).toBe('400 MalformedXML');
  });
});
