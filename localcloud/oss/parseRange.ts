/** An inclusive byte range, or `unsatisfiable` (416), or undefined for "the whole object". */
export type ByteRange = { start: number; end: number };

/**
 * `Range: bytes=a-b | a- | -n` against an object of `sizeBytes`. Like OSS, a header it cannot use
 * (several ranges, garbage, a > b) is ignored and the whole object is sent; a range starting at or
 * past the end is unsatisfiable; an end past the last byte is cut to it.
 */
export function parseRange(header: string | undefined, sizeBytes: number): ByteRange | 'unsatisfiable' | undefined {
  const m = header ? /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const last = sizeBytes - 1;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || sizeBytes === 0) return 'unsatisfiable';
    return { start: Math.max(0, sizeBytes - suffix), end: last };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? Math.max(last, start) : Number(m[2]);
  if (end < start) return undefined;
  if (start > last) return 'unsatisfiable';
  return { start, end: Math.min(end, last) };
}
