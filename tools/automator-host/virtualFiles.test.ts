import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createVirtualFiles } from './virtualFiles';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'vfs-test-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const unusedReaders = { readFile: () => undefined, getFileInfo: () => undefined, open: () => undefined, read: () => undefined, close: () => undefined };

describe('createVirtualFiles', () => {
  test('wxfile://usr and DevTools http://usr paths live under the data dir; others do not exist', () => {
    const files = createVirtualFiles(dataDir);
    expect(files.toDisk('readFile', 'wxfile://usr/a/b.jpg')).toBe(path.join(dataDir, 'usr', 'a', 'b.jpg'));
    expect(files.toDisk('readFile', 'http://tmp/x.mp4')).toBe(path.join(dataDir, 'tmp', 'x.mp4'));
    expect(() => files.toDisk('readFile', '/etc/passwd')).toThrow('readFile:fail no such file or directory /etc/passwd');
    expect(() => files.toDisk('readFile', 'wxfile://usr/../../escape')).toThrow('readFile:fail permission denied');
  });

  test('writeFileSync with an encoding or an ArrayBuffer; readFileSync and accessSync see it', () => {
    const files = createVirtualFiles(dataDir);
    const fs = files.fileSystemManager(unusedReaders);
    fs.writeFileSync(`${files.userDataPath}/hello.txt`, 'aGk=', 'base64');
    fs.writeFileSync(`${files.userDataPath}/bytes.bin`, new Uint8Array([1, 2, 3]).buffer);
    expect(readFileSync(path.join(dataDir, 'usr', 'hello.txt'), 'utf8')).toBe('hi');
    expect(fs.readFileSync(`${files.userDataPath}/hello.txt`, 'utf8')).toBe('hi');
    expect([...new Uint8Array(fs.readFileSync(`${files.userDataPath}/bytes.bin`) as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(() => fs.accessSync(`${files.userDataPath}/hello.txt`)).not.toThrow();
    fs.unlinkSync(`${files.userDataPath}/hello.txt`);
    expect(() => fs.accessSync(`${files.userDataPath}/hello.txt`)).toThrow('accessSync:fail no such file or directory wxfile://usr/hello.txt');
  });

  test('async twins answer through callbacks; readers get disk paths', async () => {
    const files = createVirtualFiles(dataDir);
    const seen: string[] = [];
    const fs = files.fileSystemManager({
      readFile: ((o: { filePath: string; success: (r: object) => void }) => {
        seen.push(o.filePath);
        o.success({ data: 'x' });
      }) as never,
      getFileInfo: unusedReaders.getFileInfo,
      open: ((o: { filePath: string; success: (r: object) => void }) => {
        seen.push(o.filePath);
        o.success({ fd: '7' });
      }) as never,
      read: ((o: { fd: string; success: (r: object) => void }) => {
        seen.push(`read ${o.fd}`);
        o.success({ bytesRead: 0 });
      }) as never,
      close: ((o: { fd: string; success: (r: object) => void }) => {
        seen.push(`close ${o.fd}`);
        o.success({});
      }) as never,
    });
    const written = await new Promise((resolve) => fs.writeFile({ filePath: 'wxfile://tmp/t.txt', data: 'abc', success: resolve }));
    expect(written).toEqual({ errMsg: 'writeFile:ok' });
    await new Promise((resolve) => fs.readFile({ filePath: 'wxfile://tmp/t.txt', success: resolve }));
    expect(seen).toEqual([path.join(dataDir, 'tmp', 't.txt')]);
    // A large file is read by descriptor: open maps the path, read and close take the descriptor.
    const { fd } = await new Promise<{ fd: string }>((resolve) => fs.open({ filePath: 'wxfile://tmp/t.txt', success: resolve }));
    await new Promise((resolve) => fs.read({ fd, arrayBuffer: new ArrayBuffer(1), success: resolve }));
    await new Promise((resolve) => fs.close({ fd, success: resolve }));
    expect(seen.slice(1)).toEqual([path.join(dataDir, 'tmp', 't.txt'), 'read 7', 'close 7']);
    const refused = await new Promise((resolve) => fs.open({ filePath: '/etc/passwd', fail: resolve }));
    expect(refused).toMatchObject({ errMsg: 'open:fail no such file or directory /etc/passwd' });
    const failed = await new Promise((resolve) => fs.readFile({ filePath: '/tmp/t.txt', fail: resolve }));
    expect(failed).toMatchObject({ errMsg: 'readFile:fail no such file or directory /tmp/t.txt' });
  });

  test('an unmodelled method says so', () => {
    const fs = createVirtualFiles(dataDir).fileSystemManager(unusedReaders);
    expect(() => fs.rename).toThrow('FileSystemManager.rename is not modelled by the headless automator host');
  });
});
