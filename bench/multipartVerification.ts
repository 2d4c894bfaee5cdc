import { createHash, randomBytes } from 'node:crypto';
import { MULTIPART, type MultipartUploadView, type SignPartsResponse } from '../typings';
import { loginAs } from '../testkit/apiClient';
import { mapWithConcurrency } from '../server/src/mapWithConcurrency';
import { startApiProcess } from './apiProcess';
import { figure } from './figures';
import type { BenchContext, SectionResult } from './section';
import { timeMs } from './stats';

/**
 * What the server's proof of a multipart object costs: a multipart ETag is no MD5, so completing
 * an upload streams the object from OSS through MD5 in the API's process. Measured as the API
 * process's CPU and the bytes it reads from OSS for one complete, per 100 MB, against Node's MD5 of
 * the same bytes in memory (the floor: what hashing alone costs).
 */
export async function multipartVerification(ctx: BenchContext): Promise<SectionResult> {
  const { fileBytes } = ctx.settings.verify;
  const bytes = randomBytes(fileBytes);
  const hash = createHash('md5').update(bytes).digest('hex');
  const floor = await timeMs(async () => createHash('md5').update(bytes).digest('hex'));

  const stack = await ctx.startStack('sqlite');
  try {
    const api = await startApiProcess(stack, ctx.env, ctx.apiNodeArgs);
    try {
      const user = await loginAs(api.urls.api, 'bench-verify');
      const created = await user.client.post('/families', { name: 'Verify family' });
      const ids = { family_id: created.body.family.id as number, album_id: created.body.album.id as number };
      const started = await user.client.post<MultipartUploadView>('/uploads/multipart', { ...ids, hash, size: fileBytes, file_name: 'VID_BENCH.mp4', file_type: 'video' });
      if (started.status !== 201) throw new Error(`POST /uploads/multipart answered ${started.status}: ${JSON.stringify(started.body)}`);
      const upload = started.body;
      const numbers = Array.from({ length: upload.part_count }, (_, i) => i + 1);
      for (let i = 0; i < numbers.length; i += 100) {
        const signed = await user.client.post<SignPartsResponse>(`/uploads/multipart/${upload.upload_id}/parts`, { part_numbers: numbers.slice(i, i + 100) });
        await mapWithConcurrency(signed.body.parts, 4, async (part) => {
          const body = bytes.subarray((part.part_number - 1) * upload.part_size, part.part_number * upload.part_size);
          const answer = await fetch(part.url, { method: 'PUT', body, headers: { 'content-type': MULTIPART.partContentType } });
          if (answer.status !== 200) throw new Error(`part ${part.part_number} answered ${answer.status}`);
        });
      }

      const before = await api.stats();
      const completed = await timeMs(() => user.client.post(`/uploads/multipart/${upload.upload_id}/complete`, { album_id: ids.album_id, file_name: 'VID_BENCH.mp4' }));
      const after = await api.stats();
      if (completed.result.status !== 200) throw new Error(`complete answered ${completed.result.status}: ${JSON.stringify(completed.result.body)}`);

      const per100MB = (n: number) => (n * 100e6) / fileBytes;
      const cpuSec = (after.cpuMicros - before.cpuMicros) / 1e6;
      const bytesFromOss = after.clientBytesRead - before.clientBytesRead;
      return {
        method: `One ${fileBytes / 1e6} MB multipart upload (${upload.part_count} parts of ${upload.part_size} B) through the API in a child process (SQLite), parts PUT at the presigned URLs; figures are the complete call alone (ListParts, CompleteMultipartUpload, the streamed MD5 GET, the record), as process.cpuUsage() and socket-byte deltas of the API process. Baseline: crypto MD5 of the same bytes in memory, in the bench process.`,
        details: { fileBytes, partCount: upload.part_count, completeWallSec: completed.ms / 1000, apiCpuSec: cpuSec, apiBytesFromOss: bytesFromOss, md5InMemorySec: floor.ms / 1000 },
        figures: [
          figure({
            section: 'verify',
            id: 'verify.apiCpuPer100MB',
            label: 'API CPU to verify a multipart upload, per 100 MB',
            unit: 's',
            value: per100MB(cpuSec),
            baseline: { label: 'MD5 of the bytes in memory', value: per100MB(floor.ms / 1000) },
          }),
          figure({
            section: 'verify',
            id: 'verify.wallPer100MB',
            label: 'complete (with verification), wall time per 100 MB',
            unit: 's',
            value: per100MB(completed.ms / 1000),
            baseline: { label: 'MD5 of the bytes in memory', value: per100MB(floor.ms / 1000) },
          }),
          figure({
            section: 'verify',
            id: 'verify.bytesFromOssPer100MB',
            label: 'bytes the API reads from OSS to verify, per 100 MB',
            unit: 'B',
            value: per100MB(bytesFromOss),
            baseline: { label: 'the object itself', value: 100e6 },
          }),
        ],
      };
    } finally {
      await api.close();
    }
  } finally {
    await stack.close();
  }
}
