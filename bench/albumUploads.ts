import path from 'node:path';
import type { CreateFamilyResponse, OssUploadConfig } from '../typings/api';
import { uploadFilesToOSS } from '../miniprogram/utils/uploadFilesToOSS';
import type { SelectedFile } from '../miniprogram/utils/types';
import { freshSelection, writeAlbum } from './albumFiles';
import { figure, SectionName } from './figures';
import { createPhone, Phone } from './phone';
import type { BenchContext, SectionResult } from './section';
import { uploadSequentially } from './sequentialUpload';
import { timeMs } from './stats';
import type { AlbumTimes } from './uploadChart';

type Ids = { familyId: number; albumId: number };

async function newFamily(phone: Phone, name: string): Promise<Ids> {
  const created = await phone.requestAPI<CreateFamilyResponse>({ method: 'POST', path: '/families', data: { name } });
  return { familyId: created.family.id, albumId: created.album.id };
}

async function uploadOurs(phone: Phone, files: readonly SelectedFile[], ids: Ids) {
  const results = await uploadFilesToOSS(files, { ...ids }, { wx: phone.wx, requestAPI: phone.requestAPI, now: Date.now, random: Math.random, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length) throw new Error(`uploadFilesToOSS failed ${failed.length} file(s): ${JSON.stringify(failed[0]).slice(0, 300)}`);
  return results;
}

const sum = (files: readonly SelectedFile[]) => files.reduce((n, f) => n + f.size, 0);

/**
 * Parts 2 and 3. Two albums over a phone link — the OSS emulator caps bandwidth per connection and
 * in all, the phone adds the round trip to every call — each uploaded by the article's sequential
 * loop and by uploadFilesToOSS, each run into a family of its own (so nothing is 秒传 by accident);
 * then the photo album again into the family that has it.
 */
export async function albumUploads(ctx: BenchContext): Promise<Partial<Record<SectionName, SectionResult>>> {
  const u = ctx.settings.upload;
  const photos = await writeAlbum(path.join(ctx.workDir, 'album-photos'), { photos: u.photos, videos: { count: 0, bytes: 0 } });
  const videos = await writeAlbum(path.join(ctx.workDir, 'album-videos'), { photos: { count: 0, minBytes: 0, maxBytes: 0 }, videos: u.videos });
  const albums = [
    { id: 'photos', label: `${u.photos.count} photos`, files: photos },
    { id: 'photosAndVideos', label: `${u.photos.count} photos + ${u.videos.count} video${u.videos.count === 1 ? '' : 's'}`, files: [...photos, ...videos] },
  ];
  const rttSec = u.latencyMs / 1000;
  const limitSec = (bytes: number) => bytes / u.bytesPerSecTotal + rttSec;

  const stack = await ctx.startStack('sqlite');
  const phone = createPhone({ apiUrl: stack.api.url, ossUrl: stack.cloud.urls.oss, userName: 'bench-phone', latencyMs: u.latencyMs });
  try {
    stack.cloud.oss.setFaults({ latencyMs: 0, bytesPerSecPerConnection: u.bytesPerSecPerConnection, bytesPerSecTotal: u.bytesPerSecTotal });
    // Log in and warm the API's credential cache, so no run pays for either.
    const warm = await newFamily(phone, 'Warm-up');
    await phone.requestAPI<OssUploadConfig>({ method: 'GET', path: '/families/oss/signature', query: { family_id: warm.familyId, album_id: warm.albumId } });

    const measured = async (label: string, run: () => Promise<unknown>) => {
      const ossBefore = stack.cloud.oss.stats().bytesReceived;
      const callsBefore = phone.calls();
      const { ms } = await timeMs(run);
      const calls = phone.calls();
      const result = {
        sec: ms / 1000,
        ossBytesReceived: stack.cloud.oss.stats().bytesReceived - ossBefore,
        apiRequests: calls.apiRequests - callsBefore.apiRequests,
        ossUploads: calls.ossUploads - callsBefore.ossUploads,
      };
      ctx.log(`  ${label}: ${result.sec.toFixed(1)} s, ${result.apiRequests} API calls, ${result.ossUploads} uploads, ${(result.ossBytesReceived / 1e6).toFixed(1)} MB to OSS`);
      return result;
    };

    const runs: Record<string, Record<string, Awaited<ReturnType<typeof measured>>>> = {};
    const chart: AlbumTimes[] = [];
    const figures = [];
    let reupload: Awaited<ReturnType<typeof measured>> | undefined;
    for (const album of albums) {
      const bytes = sum(album.files);
      const sequentialIds = await newFamily(phone, `Sequential ${album.id}`);
      const sequential = await measured(`${album.label}, article's loop`, () => uploadSequentially(freshSelection(album.files), sequentialIds, phone));
      const oursIds = await newFamily(phone, `Ours ${album.id}`);
      const ours = await measured(`${album.label}, uploadFilesToOSS`, () => uploadOurs(phone, freshSelection(album.files), oursIds));
      runs[album.id] = { sequential, ours };
      if (album.id === 'photos') {
        reupload = await measured(`${album.label}, again`, async () => {
          const results = await uploadOurs(phone, freshSelection(album.files), oursIds);
          if (results.some((r) => r.status !== 'instant')) throw new Error('the re-upload sent files the family already has');
        });
      }
      if (ctx.settings.mode === 'full' && album.id === 'photosAndVideos') {
        // Profile of the scheduler: the same album picked largest first, what a size-aware queue would do.
        const ids = await newFamily(phone, `Largest first ${album.id}`);
        const sorted = [...album.files].sort((a, b) => b.size - a.size);
        runs[album.id].oursLargestFirst = await measured(`${album.label}, uploadFilesToOSS, largest picked first`, () => uploadOurs(phone, freshSelection(sorted), ids));
      }
      const limit = limitSec(bytes);
      chart.push({ label: album.label, totalBytes: bytes, sequentialSec: sequential.sec, oursSec: ours.sec, limitSec: limit });
      figures.push(
        figure({
          section: 'upload',
          id: `upload.${album.id}.ours`,
          label: `uploadFilesToOSS, ${album.label}`,
          unit: 's',
          value: ours.sec,
          baseline: { label: 'link limit', value: limit },
          target: { text: `≤ ${u.limitTargetRatio}× limit`, met: ({ ratio }) => ratio <= u.limitTargetRatio },
        }),
        figure({
          section: 'upload',
          id: `upload.${album.id}.sequential`,
          label: `article's loop, ${album.label}`,
          unit: 's',
          value: sequential.sec,
          baseline: { label: 'uploadFilesToOSS', value: ours.sec },
          target: album.id === 'photos' ? { text: `≥ ${u.speedupTarget}× slower than ours`, met: ({ ratio }) => ratio >= u.speedupTarget } : undefined,
        }),
      );
    }
    if (!reupload) throw new Error('the re-upload did not run');
    const first = runs.photos.ours;

    const method = `Phone link: ${u.latencyMs} ms added by the phone (the bench's wx wrapper) before every API request and upload; the OSS emulator caps uploads at ${u.bytesPerSecPerConnection / 1e6} MB/s per connection and ${u.bytesPerSecTotal / 1e6} MB/s in all. The phone is the Mini Program's utils over the Node wx (real multipart uploads from disk, native MD5 digest). Link limit = album bytes ÷ ${u.bytesPerSecTotal / 1e6} MB/s + one round trip. Photos ${u.photos.minBytes / 1e6}–${u.photos.maxBytes / 1e6} MB (seeded sizes), videos ${u.videos.bytes / 1e6} MB each, picked after the photos. API on SQLite, in this process.`;
    return {
      upload: {
        method,
        details: { albums: chart, runs },
        figures,
      },
      reupload: {
        method: 'The photo album picked again (no hashes) and given to uploadFilesToOSS for the family that already has it: it hashes, asks once, commits once.',
        details: { reupload, firstUpload: first, albumBytes: sum(photos) },
        figures: [
          figure({ section: 'reupload', id: 'reupload.wallTime', label: 'wall time, photo album again', unit: 's', value: reupload.sec, baseline: { label: 'first upload', value: first.sec } }),
          figure({
            section: 'reupload',
            id: 'reupload.bytesToOss',
            label: 'bytes sent to OSS',
            unit: 'B',
            value: reupload.ossBytesReceived,
            baseline: { label: 'album bytes', value: sum(photos) },
            target: { text: '0 B', met: ({ value }) => value === 0 },
          }),
          figure({
            section: 'reupload',
            id: 'reupload.apiRoundTrips',
            label: 'API round trips',
            unit: 'calls',
            value: reupload.apiRequests,
            baseline: { label: 'first upload', value: first.apiRequests },
            target: { text: `≤ ${u.reuploadMaxRoundTrips}`, met: ({ value }) => value <= u.reuploadMaxRoundTrips },
          }),
        ],
      },
    };
  } finally {
    phone.close();
    await stack.close();
  }
}
