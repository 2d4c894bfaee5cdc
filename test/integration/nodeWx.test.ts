import busboy from 'busboy';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createNodeWx, NodeWx } from '../../testkit/nodeWx';

interface ReceivedPart {
  kind: 'field' | 'file';
  name: string;
  value?: string;
  filename?: string;
  mimeType?: string;
  md5?: string;
  size?: number;
}

/** Answers by path: echoes requests, parses multipart with busboy, stalls or cuts uploads on demand. */
function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'X-Custom-Header': 'yes' });
    res.end(JSON.stringify(body));
  };
  switch (url.pathname) {
    case '/echo': {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => json(Number(url.searchParams.get('status') ?? 200), { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() }));
      return;
    }
    case '/text':
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('plain {text');
      return;
    case '/never':
      return; // no answer: for timeout and abort
    case '/upload': {
      const parts: ReceivedPart[] = [];
      const parser = busboy({ headers: req.headers });
      parser.on('field', (name, value) => parts.push({ kind: 'field', name, value }));
      parser.on('file', (name, stream, info) => {
        const hash = createHash('md5');
        let size = 0;
        stream.on('data', (c: Buffer) => {
          hash.update(c);
          size += c.length;
        });
        stream.on('end', () => parts.push({ kind: 'file', name, filename: info.filename, mimeType: info.mimeType, md5: hash.digest('hex'), size }));
      });
      parser.on('close', () => {
        res.writeHead(201, { 'Content-Type': 'text/plain' });
        res.end(JSON.stringify({ parts, contentLength: Number(req.headers['content-length']), headers: req.headers }));
      });
      req.pipe(parser);
      return;
    }
    case '/upload-stall':
      req.pause(); // reads nothing: the client's writes back up
      return;
    case '/upload-cut': {
      let received = 0;
      req.on('data', (c: Buffer) => {
        received += c.length;
        if (received > 256 * 1024) req.socket.destroy();
      });
      return;
    }
    default:
      json(404, { error: 'not found' });
  }
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

type Result = { outcome: 'success' | 'fail'; res: any; completed: boolean };
/** Runs a callback-style wx call and resolves once `complete` has run after success/fail. */
function call(start: (callbacks: { success: (r: any) => void; fail: (r: any) => void; complete: () => void }) => void): Promise<Result> {
  return new Promise((resolve) => {
    let result: Result | undefined;
    start({
      success: (res) => (result = { outcome: 'success', res, completed: false }),
      fail: (res) => (result = { outcome: 'fail', res, completed: false }),
      complete: () => resolve({ ...result!, completed: true }),
    });
  });
}

describe('nodeWx', () => {
  let server: Server;
  let base: string;
  let dir: string;
  let wx: NodeWx;
  let photo: Buffer;
  let photoPath: string;

  beforeAll(async () => {
    server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = await mkdtemp(path.join(os.tmpdir(), 'nodewx-'));
    photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(3 * 1024 * 1024)]);
    photoPath = path.join(dir, 'IMG_0001.JPG');
    await writeFile(photoPath, photo);
  });
  beforeEach(() => {
    wx = createNodeWx({ userName: 'alice' });
  });
  afterEach(() => wx.close());
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  describe('request', () => {
    test('POST JSON-encodes object data and parses the JSON answer', async () => {
      const { outcome, res, completed } = await call((cb) => wx.request({ url: `${base}/echo`, method: 'POST', data: { a: 1, b: '张' }, header: { Authorization: 'Bearer t' }, ...cb }));
      expect([outcome, completed, res.errMsg, res.statusCode]).toEqual(['success', true, 'request:ok', 200]);
      expect(res.data.method).toBe('POST');
      expect(JSON.parse(res.data.body)).toEqual({ a: 1, b: '张' });
      expect(res.data.headers['content-type']).toBe('application/json');
      expect(res.data.headers.authorization).toBe('Bearer t');
      expect(res.header['X-Custom-Header']).toBe('yes');
      expect(wx.stats.requestCalls).toBe(1);
      expect(wx.stats.byHost[new URL(base).host].requestCalls).toBe(1);
    });

    test('GET appends object data as a query string, after any query already in the URL', async () => {
      const { res } = await call((cb) => wx.request({ url: `${base}/echo?x=1`, data: { family_id: 7, q: 'a b&c' }, ...cb }));
      expect(res.data.url).toBe('/echo?x=1&family_id=7&q=a%20b%26c');
      expect(res.data.body).toBe('');
    });

    test('an error status is still success; text stays text; arraybuffer on request', async () => {
      const notFound = await call((cb) => wx.request({ url: `${base}/echo?status=503`, ...cb }));
      expect([notFound.outcome, notFound.res.statusCode]).toEqual(['success', 503]);
      const text = await call((cb) => wx.request({ url: `${base}/text`, ...cb }));
      expect(text.res.data).toBe('plain {text');
      const raw = await call((cb) => wx.request({ url: `${base}/text`, responseType: 'arraybuffer', ...cb }));
      expect(raw.res.data).toBeInstanceOf(ArrayBuffer);
      expect(Buffer.from(raw.res.data).toString()).toBe('plain {text');
    });

    test('timeout, abort and a refused connection fail with request:fail …', async () => {
      const timedOut = await call((cb) => wx.request({ url: `${base}/never`, timeout: 100, ...cb }));
      expect([timedOut.outcome, timedOut.completed, timedOut.res.errMsg]).toEqual(['fail', true, 'request:fail timeout']);
      const aborted = await call((cb) => setTimeout(() => wx.request({ url: `${base}/never`, ...cb }).abort(), 0));
      expect(aborted.res.errMsg).toBe('request:fail abort');
      const refused = await call((cb) => wx.request({ url: 'http://127.0.0.1:1/', ...cb }));
      expect(refused.outcome).toBe('fail');
      expect(refused.res.errMsg).toMatch(/^request:fail .*ECONNREFUSED/);
      expect(wx.stats.inFlight).toBe(0);
    });
  });

  describe('uploadFile', () => {
    test('a streamed multipart POST: fields in order, then the file, with its name and type', async () => {
      const events: Array<{ progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }> = [];
      const formData = { key: 'families/1/abc.jpg', policy: 'cG9saWN5', 'x-oss-date': '20250101T000000Z', success_action_status: '200' };
      const { outcome, res } = await call((cb) => {
        const task = wx.uploadFile({ url: `${base}/upload`, filePath: photoPath, name: 'file', formData, header: { 'X-Trace': 't1', Referer: 'https://evil' }, ...cb });
        task.onProgressUpdate((e) => events.push(e));
      });
      expect([outcome, res.errMsg, res.statusCode]).toEqual(['success', 'uploadFile:ok', 201]);
      expect(typeof res.data).toBe('string');
      const answer = JSON.parse(res.data);
      expect(answer.parts).toEqual([
        ...Object.entries(formData).map(([name, value]) => ({ kind: 'field', name, value })),
        { kind: 'file', name: 'file', filename: 'IMG_0001.JPG', mimeType: 'image/jpeg', md5: md5(photo), size: photo.length },
      ]);
      expect(answer.headers['x-trace']).toBe('t1');
      expect(answer.headers.referer).toBeUndefined();
      expect(answer.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);

      expect(events.length).toBeGreaterThan(10);
      expect(events.length).toBeLessThanOrEqual(101);
      for (let i = 1; i < events.length; i++) {
        expect(events[i].progress).toBeGreaterThan(events[i - 1].progress);
        expect(events[i].totalBytesSent).toBeGreaterThan(events[i - 1].totalBytesSent);
      }
      const last = events[events.length - 1];
      expect(last).toEqual({ progress: 100, totalBytesSent: answer.contentLength, totalBytesExpectedToSend: answer.contentLength });
      expect(wx.stats.uploadCalls).toBe(1);
      expect(wx.stats.uploadBytes).toBe(answer.contentLength);
      expect(wx.stats.byHost[new URL(base).host]).toEqual({ requestCalls: 0, uploadCalls: 1, uploadBytes: answer.contentLength });
    });

    test('offProgressUpdate stops the events', async () => {
      const heard: number[] = [];
      const listener = (e: { progress: number }) => heard.push(e.progress);
      await call((cb) => {
        const task = wx.uploadFile({ url: `${base}/upload`, filePath: photoPath, name: 'file', ...cb });
        task.onProgressUpdate(listener);
        task.offProgressUpdate(listener);
      });
      expect(heard).toEqual([]);
    });

    test('abort fails with uploadFile:fail abort, mid-upload', async () => {
      // Bigger than the loopback socket buffers, so the stalled server really holds the upload back.
      const video = path.join(dir, 'stalled.mp4');
      await writeFile(video, '');
      await truncate(video, 64 * 1024 * 1024);
      const progress: number[] = [];
      const { outcome, res, completed } = await call((cb) => {
        const task = wx.uploadFile({ url: `${base}/upload-stall`, filePath: video, name: 'file', ...cb });
        task.onProgressUpdate((e) => {
          progress.push(e.progress);
          if (progress.length === 1) setTimeout(() => task.abort(), 50);
        });
      });
      expect([outcome, completed, res.errMsg]).toEqual(['fail', true, 'uploadFile:fail abort']);
      expect(Math.max(...progress)).toBeLessThan(100);
      expect(wx.stats.inFlight).toBe(0);
    });

    test('timeout fails with uploadFile:fail timeout', async () => {
      const { outcome, res } = await call((cb) => wx.uploadFile({ url: `${base}/upload-stall`, filePath: photoPath, name: 'file', timeout: 200, ...cb }));
      expect([outcome, res.errMsg]).toEqual(['fail', 'uploadFile:fail timeout']);
    });

    test('a cut connection fails with the socket error; a missing file fails without a request', async () => {
      const cut = await call((cb) => wx.uploadFile({ url: `${base}/upload-cut`, filePath: photoPath, name: 'file', ...cb }));
      expect(cut.outcome).toBe('fail');
      expect(cut.res.errMsg).toMatch(/^uploadFile:fail (socket hang up|.*ECONNRESET|.*EPIPE)/);
      const missing = await call((cb) => wx.uploadFile({ url: `${base}/upload`, filePath: path.join(dir, 'nope.jpg'), name: 'file', ...cb }));
      expect(missing.res.errMsg).toMatch(/^uploadFile:fail file not found/);
      expect(wx.stats.uploadCalls).toBe(1);
    });
  });

  describe('FileSystemManager', () => {
    test('readFile: the whole file or a range as an ArrayBuffer, or text with an encoding', async () => {
      const fs = wx.getFileSystemManager();
      const whole = await call((cb) => fs.readFile({ filePath: photoPath, ...cb }));
      expect(whole.res.errMsg).toBe('readFile:ok');
      expect(whole.res.data).toBeInstanceOf(ArrayBuffer);
      expect(Buffer.from(whole.res.data).equals(photo)).toBe(true);
      const range = await call((cb) => fs.readFile({ filePath: photoPath, position: 1000, length: 4096, ...cb }));
      expect(Buffer.from(range.res.data).equals(photo.subarray(1000, 5096))).toBe(true);
      const tail = await call((cb) => fs.readFile({ filePath: photoPath, position: photo.length - 10, length: 10, ...cb }));
      expect(Buffer.from(tail.res.data).equals(photo.subarray(-10))).toBe(true);
      const hex = await call((cb) => fs.readFile({ filePath: photoPath, position: 0, length: 3, encoding: 'hex', ...cb }));
      expect(hex.res.data).toBe('ffd8ff');
      expect(wx.stats.readFileBytes).toBe(photo.length + 4096 + 10 + 3);
    });

    test('readFile refuses ranges outside the file and missing files, with WeChat error codes', async () => {
      const fs = wx.getFileSystemManager();
      const past = await call((cb) => fs.readFile({ filePath: photoPath, position: photo.length, length: 1, ...cb }));
      expect([past.outcome, past.res.errCode]).toEqual(['fail', 1301009]);
      const long = await call((cb) => fs.readFile({ filePath: photoPath, position: photo.length - 10, length: 11, ...cb }));
      expect([long.outcome, long.res.errCode]).toEqual(['fail', 1301006]);
      const missing = await call((cb) => fs.readFile({ filePath: path.join(dir, 'gone.jpg'), ...cb }));
      expect(missing.res).toEqual({ errMsg: `readFile:fail no such file or directory ${path.join(dir, 'gone.jpg')}`, errCode: 1300002 });
    });

    test('a whole-file readFile over 100 MB fails; range reads of it still work', async () => {
      const big = path.join(dir, 'big.mp4');
      await writeFile(big, '');
      await truncate(big, 100 * 1024 * 1024 + 1); // sparse: costs no disk
      const fs = wx.getFileSystemManager();
      const whole = await call((cb) => fs.readFile({ filePath: big, ...cb }));
      expect([whole.outcome, whole.res.errCode]).toEqual(['fail', 1300202]);
      const range = await call((cb) => fs.readFile({ filePath: big, position: 100 * 1024 * 1024 - 4, length: 5, ...cb }));
      expect(range.outcome).toBe('success');
      expect(range.res.data.byteLength).toBe(5);
    });

    test('getFileInfo streams md5 or sha1 of the file', async () => {
      const fs = wx.getFileSystemManager();
      const info = await call((cb) => fs.getFileInfo({ filePath: photoPath, digestAlgorithm: 'md5', ...cb }));
      expect(info.res).toEqual({ size: photo.length, digest: md5(photo), errMsg: 'getFileInfo:ok' });
      const sha1 = await call((cb) => fs.getFileInfo({ filePath: photoPath, digestAlgorithm: 'sha1', ...cb }));
      expect(sha1.res.digest).toBe(createHash('sha1').update(photo).digest('hex'));
      const missing = await call((cb) => fs.getFileInfo({ filePath: path.join(dir, 'gone.jpg'), ...cb }));
      expect([missing.outcome, missing.res.errCode]).toEqual(['fail', 1300002]);
      expect(wx.stats.getFileInfoCalls).toBe(3);
      expect(() => (fs as any).writeFile).toThrow('FileSystemManager.writeFile is not implemented');
    });

    test('a client without the digest option answers getFileInfo with the size only', async () => {
      const old = createNodeWx({ withoutNativeDigest: true });
      const info = await call((cb) => old.getFileSystemManager().getFileInfo({ filePath: photoPath, digestAlgorithm: 'md5', ...cb }));
      expect(info.res).toEqual({ size: photo.length, errMsg: 'getFileInfo:ok' });
      old.close();
    });

    test('open, read into the caller\'s buffer at a position, close: the bytes of the file, the descriptor released', async () => {
      const fs = wx.getFileSystemManager();
      const opened = await call((cb) => fs.open({ filePath: photoPath, flag: 'r', ...cb }));
      expect(opened.res).toEqual({ fd: expect.any(String), errMsg: 'open:ok' });
      const { fd } = opened.res;
      expect(wx.stats.openDescriptors).toBe(1);
      const buffer = new ArrayBuffer(8192);
      const first = await call((cb) => fs.read({ fd, arrayBuffer: buffer, offset: 0, length: 4096, position: 1000, ...cb }));
      expect(first.res).toEqual({ bytesRead: 4096, arrayBuffer: buffer, errMsg: 'read:ok' });
      expect(Buffer.from(buffer, 0, 4096).equals(photo.subarray(1000, 5096))).toBe(true);
      // At the end of the file a read comes back short, then empty.
      const tail = await call((cb) => fs.read({ fd, arrayBuffer: buffer, offset: 100, length: 8000, position: photo.length - 10, ...cb }));
      expect(tail.res.bytesRead).toBe(10);
      expect(Buffer.from(buffer, 100, 10).equals(photo.subarray(-10))).toBe(true);
      const past = await call((cb) => fs.read({ fd, arrayBuffer: buffer, length: 10, position: photo.length, ...cb }));
      expect(past.res.bytesRead).toBe(0);
      const tooLong = await call((cb) => fs.read({ fd, arrayBuffer: buffer, offset: 8000, length: 500, position: 0, ...cb }));
      expect([tooLong.outcome, tooLong.res.errMsg]).toEqual(['fail', 'read:fail the value of "length" is out of range']);

      const closed = await call((cb) => fs.close({ fd, ...cb }));
      expect([closed.outcome, wx.stats.openDescriptors]).toEqual(['success', 0]);
      const afterClose = await call((cb) => fs.read({ fd, arrayBuffer: buffer, length: 10, position: 0, ...cb }));
      expect(afterClose.res).toEqual({ errMsg: 'read:fail bad file descriptor', errCode: 1300009 });
      const missing = await call((cb) => fs.open({ filePath: path.join(dir, 'gone.jpg'), flag: 'r', ...cb }));
      expect([missing.outcome, missing.res.errCode, wx.stats.openDescriptors]).toEqual(['fail', 1300002, 0]);
      expect([wx.stats.openCalls, wx.stats.readCalls, wx.stats.closeCalls, wx.stats.readBytes]).toEqual([2, 5, 1, 4096 + 10]);
    });

    test('a client before base library 2.16.1 has no open, read or close', () => {
      const old = createNodeWx({ withoutDescriptors: true });
      const fs = old.getFileSystemManager() as unknown as Record<string, unknown>;
      expect([typeof fs.open, typeof fs.read, typeof fs.close, typeof fs.readFile]).toEqual(['undefined', 'undefined', 'undefined', 'function']);
      expect(old.canIUse('FileSystemManager.open')).toBe(false);
      old.close();
    });
  });

  test('canIUse answers for what is implemented, can be overridden, and records the questions', () => {
    expect(wx.canIUse('getFileSystemManager')).toBe(true);
    expect(wx.canIUse('FileSystemManager.getFileInfo.object.digestAlgorithm')).toBe(true);
    expect(wx.canIUse('FileSystemManager.open')).toBe(true);
    expect(wx.canIUse('FileSystemManager.rename')).toBe(false);
    expect(wx.canIUse('chooseMedia')).toBe(false);
    const old = createNodeWx({ canIUse: (schema, implemented) => implemented && !schema.includes('digestAlgorithm') });
    expect(old.canIUse('FileSystemManager.getFileInfo.object.digestAlgorithm')).toBe(false);
    expect(old.canIUse('FileSystemManager.readFile')).toBe(true);
    expect(old.stats.canIUseQueries).toEqual(['FileSystemManager.getFileInfo.object.digestAlgorithm', 'FileSystemManager.readFile']);
  });

  test('storage in memory: missing keys read as "", values are copies', () => {
    expect(wx.getStorageSync('token')).toBe('');
    const value = { token: 'abc', n: 1 };
    wx.setStorageSync('session', value);
    value.n = 2;
    expect(wx.getStorageSync('session')).toEqual({ token: 'abc', n: 1 });
    wx.removeStorageSync('session');
    expect(wx.getStorageSync('session')).toBe('');
    expect(() => wx.setStorageSync('big', 'x'.repeat(1024 * 1024 + 1))).toThrow('exceed storage item max length');
  });

  test('login gives test:<userName>, by callback or promise', async () => {
    const byCallback = await call((cb) => wx.login(cb));
    expect(byCallback.res).toEqual({ code: 'test:alice', errMsg: 'login:ok' });
    await expect(wx.login()).resolves.toEqual({ code: 'test:alice', errMsg: 'login:ok' });
    expect(wx.stats.loginCalls).toBe(2);
  });

  test('maxInFlight counts concurrent network tasks', async () => {
    await Promise.all(Array.from({ length: 5 }, () => call((cb) => wx.request({ url: `${base}/echo`, ...cb }))));
    expect(wx.stats.maxInFlight).toBe(5);
    expect(wx.stats.inFlight).toBe(0);
  });
});
