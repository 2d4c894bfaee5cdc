import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { MULTIPART } from '../typings';
import type { ListUploadedPartsResponse } from '../typings/multipart';
import { loadRecord } from '../miniprogram/utils/multipartState';
import { DEFAULT_UPLOAD_CONCURRENCY } from '../miniprogram/utils/uploadFilesToOSS';
import type { SelectedFile } from '../miniprogram/utils/types';
import { loginAs } from '../testkit/apiClient';
import type { Stack } from '../testkit/startStack';
import { createWxStorage } from '../testkit/wxStorage';
import { writeAlbum } from './albumFiles';
import { startTsChild, type TsChild } from './childProcess';
import { figure } from './figures';
import type { BenchContext, SectionResult } from './section';
import type { VideoPhoneInput, VideoUploadOutcome } from './videoPhoneChild';

type Ids = { familyId: number; albumId: number };

const USER = 'bench-video';

async function md5Of(filePath: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Resolves once OSS has received `bytes` upload bytes since its stats were reset (polled: the emulator is in this process). */
async function ossReceived(stack: Stack, bytes: number): Promise<void> {
  while (stack.cloud.oss.stats().bytesReceived < bytes) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Part 8, issue 14's figures: one long video over the same phone link as part 2. Alone, against
 * the link limit and with the phone's memory; with the link cut at 60 %, the bytes sent twice;
 * with the app killed half-way and relaunched, the bytes the second run sends against what OSS lacked.
 */
export async function largeVideo(ctx: BenchContext): Promise<SectionResult> {
  const u = ctx.settings.upload;
  const v = ctx.settings.video;
  const [video] = await writeAlbum(path.join(ctx.workDir, 'large-video'), { photos: { count: 0, minBytes: 0, maxBytes: 0 }, videos: { count: 1, bytes: v.bytes } });
  const hash = await md5Of(video.path);
  const partsInFlight = DEFAULT_UPLOAD_CONCURRENCY;
  const partBytes = MULTIPART.defaultPartBytes;
  const limitSec = v.bytes / u.bytesPerSecTotal + u.latencyMs / 1000;

  const stack = await ctx.startStack('sqlite');
  const phones: Array<TsChild<null>> = [];
  const startPhone = async (storageFile: string) => {
    const input: VideoPhoneInput = { apiUrl: stack.api.url, ossUrl: stack.cloud.urls.oss, userName: USER, latencyMs: u.latencyMs, storageFile, sampleMs: 5 };
    const phone = await startTsChild<null>(path.join(__dirname, 'videoPhoneChild.ts'), input, { nodeArgs: ['--expose-gc'] });
    phones.push(phone);
    return phone;
  };
  const upload = async (phone: TsChild<null>, file: SelectedFile, ids: Ids) => {
    const outcome = await phone.call<VideoUploadOutcome>('upload', { file, ...ids });
    if (outcome.result.status !== 'uploaded') throw new Error(`the video did not upload: ${JSON.stringify(outcome.result)}`);
    return outcome;
  };
  try {
    stack.cloud.oss.setFaults({ latencyMs: 0, bytesPerSecPerConnection: u.bytesPerSecPerConnection, bytesPerSecTotal: u.bytesPerSecTotal });
    const phone = await startPhone(path.join(ctx.workDir, 'phone-storage.json'));

    // 1. Alone: time against the link limit, and the phone's memory.
    const aloneIds = await phone.call<Ids>('newFamily', 'Video alone');
    stack.cloud.oss.resetStats();
    const alone = await upload(phone, video, aloneIds);
    const aloneBytes = stack.cloud.oss.stats().bytesReceived;
    const p = alone.phases;
    ctx.log(
      `  alone: ${(alone.ms / 1000).toFixed(1)} s (hashed ${p.hashed?.toFixed(1)} s, parts ${p.firstPartSent?.toFixed(1)}–${p.lastPartDone?.toFixed(1)} s, complete ${p.completeSent?.toFixed(1)}–${p.completeAnswered?.toFixed(1)} s), ${(aloneBytes / 1e6).toFixed(1)} MB to OSS, peak RSS +${((alone.peakRssBytes - alone.baselineRssBytes) / 1e6).toFixed(1)} MB`,
    );

    // 2. The link goes down at 60 % — every upload connection cut — and comes back a moment later.
    const cutIds = await phone.call<Ids>('newFamily', 'Video cut');
    stack.cloud.oss.resetStats();
    stack.cloud.oss.setFaults({ linkDownAfterBytes: Math.round(v.bytes * v.cutAtFraction) });
    const cutRun = upload(phone, video, cutIds);
    cutRun.catch(() => undefined);
    while (stack.cloud.oss.stats().uploadsCut === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const cutsAtDrop = stack.cloud.oss.stats().uploadsCut;
    await new Promise((resolve) => setTimeout(resolve, v.linkDownMs));
    stack.cloud.oss.setFaults({ linkDownAfterBytes: 0 });
    const cut = await cutRun;
    const cutStats = stack.cloud.oss.stats();
    const resentBytes = cutStats.bytesReceived - v.bytes;
    ctx.log(`  cut at ${v.cutAtFraction * 100} %: ${(cut.ms / 1000).toFixed(1)} s, ${cutStats.uploadsCut} connections cut (${cutsAtDrop} at the drop), ${(resentBytes / 1e6).toFixed(1)} MB sent again`);

    // 3. The app is killed half-way and relaunched on the same storage; the video is picked again.
    const restartStorage = path.join(ctx.workDir, 'restart-storage.json');
    const dying = await startPhone(restartStorage);
    const restartIds = await dying.call<Ids>('newFamily', 'Video restart');
    stack.cloud.oss.resetStats();
    dying.call('upload', { file: video, ...restartIds }).catch(() => undefined);
    await ossReceived(stack, Math.round(v.bytes * v.restartAtFraction));
    dying.process.kill('SIGKILL');
    await new Promise<void>((resolve) => (dying.process.exitCode !== null || dying.process.signalCode !== null ? resolve() : dying.process.once('exit', () => resolve())));
    // Bodies that had fully arrived as the app died are still being stored: let them land first.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const sentBeforeKill = stack.cloud.oss.stats().bytesReceived;
    const storage = createWxStorage(restartStorage);
    const record = loadRecord({ getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : '') } as Parameters<typeof loadRecord>[0], hash);
    if (!record) throw new Error('the killed app left no record of its upload');
    const owner = await loginAs(stack.api.url, USER);
    const held = await owner.client.get<ListUploadedPartsResponse>(`/uploads/multipart/${record.uploadId}`);
    const heldBytes = held.body.parts.reduce((sum, p) => sum + p.size, 0);
    const missingBytes = v.bytes - heldBytes;
    stack.cloud.oss.resetStats();
    const relaunched = await startPhone(restartStorage);
    const resumed = await upload(relaunched, video, restartIds);
    const resumedBytes = stack.cloud.oss.stats().bytesReceived;
    ctx.log(`  restart at ${v.restartAtFraction * 100} %: ${held.body.parts.length} parts held, ${(missingBytes / 1e6).toFixed(1)} MB missing, ${(resumedBytes / 1e6).toFixed(1)} MB sent after the relaunch in ${(resumed.ms / 1000).toFixed(1)} s`);

    const memoryBudget = partsInFlight * partBytes + v.memoryOverheadBytes;
    return {
      method: `One ${v.bytes / 1e6} MB video over part 2's phone link (${u.latencyMs} ms per request, ${u.bytesPerSecPerConnection / 1e6} MB/s per connection, ${u.bytesPerSecTotal / 1e6} MB/s in all), uploaded by uploadFilesToOSS (multipart: ${partBytes} B parts, ${partsInFlight} in flight) in a phone process of its own, each run into a new family; the clock starts at the pick (hashing included). Memory: the phone process's peak RSS above its baseline (after GC), sampled every 5 ms. Cut: the OSS emulator's link goes down after ${v.cutAtFraction * 100} % of the video's bytes (every upload connection cut) and comes back ${v.linkDownMs} ms later. Restart: the phone process is killed (SIGKILL) once OSS has ${v.restartAtFraction * 100} % of the bytes, a new one starts on the same wx storage and the video is picked again; what OSS held is read with ListParts in between.`,
      details: {
        videoBytes: v.bytes,
        partBytes,
        partsInFlight,
        alone: { ...alone, ossBytesReceived: aloneBytes, limitSec },
        cut: { ...cut, ossBytesReceived: cutStats.bytesReceived, uploadsCut: cutStats.uploadsCut, resentBytes },
        restart: { sentBeforeKill, partsHeld: held.body.parts.length, heldBytes, missingBytes, resumed, resumedBytes },
      },
      figures: [
        figure({
          section: 'video',
          id: 'video.alone.time',
          label: `one ${v.bytes / 1e6} MB video alone`,
          unit: 's',
          value: alone.ms / 1000,
          baseline: { label: 'link limit', value: limitSec },
          target: { text: `≤ ${v.limitTargetRatio}× limit`, met: ({ ratio }) => ratio <= v.limitTargetRatio },
        }),
        figure({
          section: 'video',
          id: 'video.alone.peakMemory',
          label: 'phone peak RSS above baseline',
          unit: 'B',
          value: alone.peakRssBytes - alone.baselineRssBytes,
          baseline: { label: `parts in flight × part size + ${v.memoryOverheadBytes / 1e6} MB`, value: memoryBudget },
          target: { text: '≤ 1×', met: ({ ratio }) => ratio <= 1 },
        }),
        figure({
          section: 'video',
          id: 'video.cut.resentBytes',
          label: `bytes sent again after the link drops at ${v.cutAtFraction * 100} %`,
          unit: 'B',
          value: resentBytes,
          baseline: { label: 'parts in flight × part size', value: partsInFlight * partBytes },
          target: { text: '≤ 1×', met: ({ ratio }) => ratio <= 1 },
        }),
        figure({
          section: 'video',
          id: 'video.restart.bytesSent',
          label: `bytes sent after a relaunch at ${v.restartAtFraction * 100} %`,
          unit: 'B',
          value: resumedBytes,
          baseline: { label: 'bytes of the parts OSS lacked', value: missingBytes },
          target: { text: '≤ 1×', met: ({ ratio }) => ratio <= 1 },
        }),
      ],
    };
  } finally {
    for (const phone of phones) await phone.close().catch(() => undefined);
    await stack.close();
  }
}
