import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWxStorage } from '../../testkit/wxStorage';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'host-storage-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createWxStorage', () => {
  test('in memory: copies in and out, gone with the host', () => {
    const storage = createWxStorage();
    const value = { parts: [1, 2] };
    storage.set('k', value);
    value.parts.push(3);
    const read = storage.get('k') as { parts: number[] };
    read.parts.push(4);
    expect(storage.get('k')).toEqual({ parts: [1, 2] });
    expect(storage.keys()).toEqual(['k']);
    storage.delete('k');
    expect(storage.has('k')).toBe(false);
    expect(createWxStorage().keys()).toEqual([]);
  });

  test('with a file: the next launch finds what this one left', () => {
    const file = path.join(dir, 'storage.json');
    const first = createWxStorage(file);
    first.set('token', 'abc');
    first.set('upload', { id: 'u1', done: [1, 3] });
    first.set('gone', 1);
    first.delete('gone');

    const second = createWxStorage(file);
    expect(second.keys().sort()).toEqual(['token', 'upload']);
    expect(second.get('upload')).toEqual({ id: 'u1', done: [1, 3] });
    second.clear();
    expect(createWxStorage(file).keys()).toEqual([]);
  });

  test('detached (the app was killed): later changes stay in memory and never reach the file', () => {
    const file = path.join(dir, 'storage.json');
    const storage = createWxStorage(file);
    storage.set('kept', 1);
    storage.detach();
    storage.set('late', 2);
    storage.delete('kept');
    expect(storage.has('late')).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ kept: 1 });
  });

  test('a file that is not storage stops the launch with its name', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '[1, 2]');
    expect(() => createWxStorage(file)).toThrow(`${file} does not hold wx storage`);
  });
});
