import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * `wx` storage for the automator host and the Node wx. In memory by default, gone when the host ends; given a file,
 * read from it at launch and written through on every change, so the next launch with the same
 * file finds what this one left — as a phone keeps storage across restarts (and DevTools per
 * project). Within a run values are structured clones; across runs they go through JSON, which is
 * what WeChat stores (a `Date` comes back as its ISO string here).
 */
export interface WxStorage {
  has(key: string): boolean;
  /** A copy of the stored value. */
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  clear(): void;
  keys(): string[];
  /** The app is gone: nothing it still does reaches the file (a killed app writes nothing). */
  detach(): void;
}

function readEntries(file: string): Array<[string, unknown]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const stored: unknown = JSON.parse(text);
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) throw new Error(`${file} does not hold wx storage (a JSON object)`);
  return Object.entries(stored);
}

export function createWxStorage(file?: string): WxStorage {
  const entries = new Map<string, unknown>(file ? readEntries(file) : []);
  let attached = file !== undefined;
  const persist = () => {
    if (!attached || !file) return;
    // Whole-file replace: a reader never sees half a write.
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(Object.fromEntries(entries)));
    renameSync(temp, file);
  };
  return {
    has: (key) => entries.has(key),
    get: (key) => structuredClone(entries.get(key)),
    set(key, value) {
      entries.set(key, structuredClone(value));
      persist();
    },
    delete(key) {
      if (entries.delete(key)) persist();
    },
    clear() {
      entries.clear();
      persist();
    },
    keys: () => [...entries.keys()],
    detach() {
      attached = false;
    },
  };
}
