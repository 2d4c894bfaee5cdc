/**
 * The Mini Program's multipart path end to end: the utils over testkit's Node wx (real HTTP, real
 * files, `FileSystemManager.open`/`read`, `wx.request` PUT with an ArrayBuffer) against the real API
 * and the local cloud. A 30 MB video goes up in parts; a part whose connection the OSS emulator
 * cuts is sent again, alone; a run that dies leaves its state in storage and a new run (a restart:
 * new session, same storage, the file picked and hashed again) sends only the parts OSS lacks; the
 * photo's presigned URL serves the file's very bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MULTIPART } from '../../typings';
import { listRecords } from '../../miniprogram/utils/multipartState';
import { createRequestAPI, type RequestAPI } from '../../miniprogram/utils/request';
import { createSession } from '../../miniprogram/utils/session';
import type { SelectedFile, UploadResult } from '../../miniprogram/utils/types';
import { DEFAULT_UPLOAD_CONCURRENCY, uploadFilesToOSS } from '../../miniprogram/utils/uploadFilesToOSS';
import type { CreateFamilyResponse, ListPhotosResponse, ListUploadedPartsResponse } from '../../typings';
import { createNodeWx, type NodeWx } from '../../testkit/nodeWx';
import { Stack, startStack } from '../../testkit/startStack';

jest.setTimeout(120_000);

const MB = 1024 * 1024;
const SIZE = 30 * MB;
const PARTS = Math.ceil(SIZE / MULTIPART.defaultPartBytes);
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const video = () => Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypmp42'), randomBytes(SIZE - 12)]);

/** The same wx, whose part PUTs fail at once ("request:fail interrupted") after `okPuts` succeeded. */
function dyingAfter(wx: NodeWx, okPuts: number): NodeWx {
  let ok = 0;
  const request = (option: WechatMiniprogram.RequestOption) => {
    if (option.method !== 'PUT') return wx.request(option);
    if (ok >= okPuts) {
      setImmediate(() => option.fail?.({ errMsg: 'request:fail interrupted' } as WechatMiniprogram.RequestFailCallbackErr));
      return { abort: () => undefined } as unknown as WechatMiniprogram.RequestTask;
    }
    return wx.request({
      ...option,
      success: (res) => {
        if (res.statusCode === 200) ok++;
        option.success?.(res);
      },
    });
  };
  return { ...wx, request } as NodeWx;
}

/** The same wx, noting the part number of each part PUT. */
function recordingParts(wx: NodeWx, sent: number[]): NodeWx {
  const request = (option: WechatMiniprogram.RequestOption) => {
    if (option.method === 'PUT') sent.push(Number(new URL(option.url).searchParams.get('partNumber')));
    return wx.request(option);
  };
  return { ...wx, request } as NodeWx;
}

describe('multipart upload from the Mini Program utils', () => {
  let stack: Stack;
  let dir: string;
  let familyId: number;
  let albumId: number;
  let ossHost: string;

  const selected = (filePath: string): SelectedFile => ({ path: filePath, name: path.basename(filePath), size: SIZE, sizeKb: SIZE / 1024, time: Date.parse('2026-11-30T10:00:00Z'), type: 'video', hash: '' });
  const client = (wx: NodeWx): RequestAPI => createRequestAPI({ baseUrl: stack.api.url, wx, session: createSession({ baseUrl: stack.api.url, wx }) });
  const upload = (wx: NodeWx, files: SelectedFile[], overrides: { maxAttempts?: number; concurrency?: number } = {}): Promise<UploadResult[]> =>
    uploadFilesToOSS(files, { familyId, albumId, ...overrides }, { wx, requestAPI: client(wx), now: () => Date.now(), random: () => 0, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))) });
  const ossPuts = (wx: NodeWx) => wx.stats.byHost[ossHost]?.requestCalls ?? 0;

  async function servedBytes(wx: NodeWx, hash: string): Promise<Buffer> {
    const page = await client(wx)<ListPhotosResponse>({ method: 'GET', path: `/albums/${albumId}/photos` });
    const listed = page.photos.find((p) => p.hash_value === hash);
    expect(listed).toBeDefined();
    return Buffer.from(await (await fetch(listed!.url)).arrayBuffer());
  }

  beforeAll(async () => {
    stack = await startStack('sqlite');
    ossHost = new URL(stack.cloud.urls.oss).host;
    dir = await mkdtemp(path.join(os.tmpdir(), 'mp-multipart-'));
    const wx = createNodeWx({ userName: 'multipart' });
    const created = await client(wx)<CreateFamilyResponse>({ method: 'POST', path: '/families', data: { name: '视频' } });
    familyId = created.family.id;
    albumId = created.album.id;
    wx.close();
  });
  afterAll(async () => {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a 30 MB video goes up in parts; a cut part is sent again alone; the photo serves the same bytes', async () => {
    const bytes = video();
    const filePath = path.join(dir, 'VID_cut.mp4');
    await writeFile(filePath, bytes);
    const wx = createNodeWx({ userName: 'multipart' });
    // Fault checks run for each POST/PUT the emulator gets: 1 is InitiateMultipartUpload, then the
    // part PUTs. The third part to arrive has its connection cut halfway through its body.
    let uploadsSeen = 0;
    stack.cloud.oss.setFaults({ cutRate: 0.5, random: () => (++uploadsSeen === 4 ? 0 : 1) });
    stack.cloud.oss.resetStats();
    try {
      const [result] = await upload(wx, [selected(filePath)]);
      expect(result).toMatchObject({ status: 'uploaded', photo: { hash_value: md5(bytes), file_size: SIZE, file_type: 'video' } });
    } finally {
      stack.cloud.oss.setFaults({ cutRate: 0 });
    }
    const stats = stack.cloud.oss.stats();
    // Every part once, the cut one twice; no PostObject.
    expect(ossPuts(wx)).toBe(PARTS + 1);
    expect(stats.uploadParts).toBe(PARTS + 1);
    expect(stats.postObjects).toBe(0);
    // Each part's bytes once, plus at most what was on the wire at the cut.
    expect(stats.bytesReceived).toBeGreaterThanOrEqual(SIZE);
    expect(stats.bytesReceived).toBeLessThanOrEqual(SIZE + DEFAULT_UPLOAD_CONCURRENCY * MULTIPART.defaultPartBytes);
    // Memory stays bounded: parts were read into one buffer per part in flight, every descriptor closed.
    expect(wx.stats.openDescriptors).toBe(0);
    expect(wx.stats.maxInFlight).toBeLessThanOrEqual(10);
    expect(listRecords(wx, Date.now())).toEqual([]);
    expect(md5(await servedBytes(wx, md5(bytes)))).toBe(md5(bytes));
    wx.close();
  });

  test('after a run dies mid-way, a restart with the same storage resumes, sending only the parts OSS lacks', async () => {
    const bytes = video();
    const filePath = path.join(dir, 'VID_restart.mp4');
    await writeFile(filePath, bytes);
    const wx = createNodeWx({ userName: 'multipart' });

    // First run: the phone loses the app after three parts were acknowledged — every later part PUT
    // fails at once and the run ends, leaving some parts in OSS and the state in storage.
    // Two parts at a time, so the first parts' acknowledgements come before the last parts start.
    const [first] = await upload(dyingAfter(wx, 3), [selected(filePath)], { maxAttempts: 1, concurrency: 2 });
    expect(first).toMatchObject({ status: 'failed', code: 'network_error' });
    const [record] = listRecords(wx, Date.now());
    expect(record).toMatchObject({ hash: md5(bytes), fileSize: SIZE, partCount: PARTS, albumId, familyId });
    expect(record.doneParts.length).toBeGreaterThanOrEqual(3);
    // What OSS holds is what counts (a part may have landed as the run died, unacknowledged).
    const held = (await client(wx)<ListUploadedPartsResponse>({ method: 'GET', path: `/uploads/multipart/${record.uploadId}` })).parts.map((p) => p.part_number);
    expect(held).toEqual(expect.arrayContaining(record.doneParts));
    expect(held.length).toBeLessThan(PARTS);

    // "Restart": a new session and utils call, storage kept; the file is picked (and hashed) again.
    wx.resetStats();
    stack.cloud.oss.resetStats();
    const sent: number[] = [];
    const [second] = await upload(recordingParts(wx, sent), [selected(filePath)]);
    expect(second).toMatchObject({ status: 'uploaded', photo: { hash_value: md5(bytes) } });
    // Only parts OSS lacked went again (a part still landing as the first run died may be held by
    // the time the resume asks, so fewer may go), each once.
    expect(sent.filter((n) => held.includes(n))).toEqual([]);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent.length).toBeLessThanOrEqual(PARTS - held.length);
    expect(stack.cloud.oss.stats().uploadParts).toBe(sent.length);
    // Bytes: the parts sent now, plus at most what the dead run still had on the wire as it died.
    expect(stack.cloud.oss.stats().bytesReceived).toBeLessThanOrEqual((sent.length + DEFAULT_UPLOAD_CONCURRENCY) * MULTIPART.defaultPartBytes);
    expect(listRecords(wx, Date.now())).toEqual([]);
    expect(md5(await servedBytes(wx, md5(bytes)))).toBe(md5(bytes));
    // The file on disk is untouched by the reads.
    expect(md5(await readFile(filePath))).toBe(md5(bytes));
    wx.close();
  });
});
