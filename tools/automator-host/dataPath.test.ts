import { getDataAtPath, parseDataPath } from './dataPath';

describe('data paths', () => {
  test('dots and indices, as setData writes them', () => {
    expect(parseDataPath('items[10].state')).toEqual(['items', 10, 'state']);
    expect(parseDataPath('a.b.c')).toEqual(['a', 'b', 'c']);
    expect(parseDataPath('grid[1][2]')).toEqual(['grid', 1, 2]);
  });

  test('malformed paths are refused', () => {
    expect(() => parseDataPath('')).toThrow('invalid data path ""');
    expect(() => parseDataPath('a..b')).toThrow('invalid data path');
    expect(() => parseDataPath('a[x]')).toThrow('invalid data path');
  });

  test('reads a value, or undefined past the end', () => {
    const data = { items: [{ state: 'uploaded' }], n: 0 };
    expect(getDataAtPath(data, 'items[0].state')).toBe('uploaded');
    expect(getDataAtPath(data, 'items[3].state')).toBeUndefined();
    expect(getDataAtPath(data, 'n.x')).toBeUndefined();
  });
});
