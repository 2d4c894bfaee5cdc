/** `items[0].state` → ['items', 0, 'state'], the path syntax of `setData` and `Page.getData`. */
export function parseDataPath(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]/g;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(path)) !== null) {
    const between = path.slice(consumed, match.index);
    if (between !== '' && between !== '.') throw new Error(`invalid data path "${path}"`);
    keys.push(match[1] !== undefined ? match[1] : Number(match[2]));
    consumed = pattern.lastIndex;
  }
  if (consumed !== path.length || keys.length === 0) throw new Error(`invalid data path "${path}"`);
  return keys;
}

/** The value at `path` in `data`, or undefined where the path leads nowhere. */
export function getDataAtPath(data: unknown, path: string): unknown {
  let value = data;
  for (const key of parseDataPath(path)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
