import { createHash, randomBytes } from 'node:crypto';
import type { OssUploadConfig } from '../typings/api';
import { loginAs } from '../testkit/apiClient';
import { postObject } from '../testkit/postObject';
import { startApiProcess } from './apiProcess';
import type { ApiChildStats } from './apiChild';
import { figure } from './figures';
import type { BenchContext, SectionResult } from './section';
import { mapWithConcurrency } from '../server/src/mapWithConcurrency';
import { timeMs } from './stats';

interface BenchFile {
  bytes: Buffer;
  hash: string;
}

const delta = (after: ApiChildStats, before: ApiChildStats) => ({
  cpuSec: (after.cpuMicros - before.cpuMicros) / 1e6,
  bytesFromPhones: after.serverBytesRead - before.serverBytesRead,
  bytesToPhones: after.serverBytesWritten - before.serverBytesWritten,
  bytesFromUpstream: after.clientBytesRead - before.clientBytesRead,
  bytesToUpstream: after.clientBytesWritten - before.clientBytesWritten,
});

/**
 * Part 6, the article's headline: what the API process spends per 100 MB uploaded when phones
 * upload straight to OSS (it signs, checks hashes, verifies the commit) against a relay that takes
 * the file and streams it on to OSS. The API runs in a child process; its CPU comes from
 * process.cpuUsage() and its bytes from the byte counters of every socket it accepted.
 */
export async function directVsRelay(ctx: BenchContext): Promise<SectionResult> {
  const { files: count, fileBytes, concurrency } = ctx.settings.relay;
  const files: BenchFile[] = Array.from({ length: count }, () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(fileBytes - 3)]);
    return { bytes, hash: createHash('md5').update(bytes).digest('hex') };
  });
  const uploadedBytes = count * fileBytes;
  const stack = await ctx.startStack('sqlite');
  try {
    const api = await startApiProcess(stack, ctx.env, ctx.apiNodeArgs);
    try {
      const user = await loginAs(api.urls.api, 'bench-relay');
      const family = async (name: string) => {
        const created = await user.client.post('/families', { name });
        if (created.status !== 201) throw new Error(`POST /families answered ${created.status}`);
        return { familyId: created.body.family.id as number, albumId: created.body.album.id as number };
      };
      const meta = (f: BenchFile, familyId: number, albumId: number) => ({
        album_id: albumId,
        family_id: familyId,
        file_name: `IMG_${f.hash.slice(0, 8)}.jpg`,
        object_key: `families/${familyId}/${f.hash}.jpg`,
        file_type: 'image',
        file_size: f.bytes.length,
        hash_value: f.hash,
      });
      const hashCheck = async (familyId: number, batch: readonly BenchFile[]) => {
        const answer = await user.client.post('/photos/hash/check', { family_id: familyId, hashes: batch.map((f) => f.hash) });
        if (answer.status !== 200 || answer.body.existing.length !== 0) throw new Error(`hash check answered ${answer.status}`);
      };
      const commit = async ({ familyId, albumId }: { familyId: number; albumId: number }, batch: readonly BenchFile[]) => {
        for (let i = 0; i < batch.length; i += 100) {
          const answer = await user.client.post('/photos', { data: batch.slice(i, i + 100).map((f) => meta(f, familyId, albumId)) });
          if (answer.status !== 200 || answer.body.failed.length !== 0) throw new Error(`commit answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
        }
      };
      const measure = async (run: () => Promise<void>) => {
        const ossBefore = stack.cloud.oss.stats().bytesReceived;
        const before = await api.stats();
        const { ms } = await timeMs(run);
        const after = await api.stats();
        return { ...delta(after, before), wallSec: ms / 1000, ossBytesReceived: stack.cloud.oss.stats().bytesReceived - ossBefore };
      };

      const direct = async (ids: { familyId: number; albumId: number }, batch: readonly BenchFile[]) => {
        const signature = await user.client.get<OssUploadConfig>(`/families/oss/signature?family_id=${ids.familyId}&album_id=${ids.albumId}`);
        if (signature.status !== 200) throw new Error(`signature answered ${signature.status}`);
        await hashCheck(ids.familyId, batch);
        await mapWithConcurrency(batch, concurrency, async (f) => {
          const answer = await postObject(signature.body, `families/${ids.familyId}/${f.hash}.jpg`, f.bytes, 'image/jpeg');
          if (answer.status !== 200) throw new Error(`OSS PostObject answered ${answer.status}: ${answer.text.slice(0, 300)}`);
        });
        await commit(ids, batch);
      };
      const relayed = async (ids: { familyId: number; albumId: number }, batch: readonly BenchFile[]) => {
        await hashCheck(ids.familyId, batch);
        await mapWithConcurrency(batch, concurrency, async (f) => {
          const form = new FormData();
          form.append('family_id', String(ids.familyId));
          form.append('hash', f.hash);
          form.append('ext', 'jpg');
          form.append('size', String(f.bytes.length));
          form.append('file', new Blob([f.bytes], { type: 'image/jpeg' }), `${f.hash}.jpg`);
          const answer = await fetch(`${api.urls.relay}/relay/upload`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form });
          const text = await answer.text();
          if (answer.status !== 200) throw new Error(`relay answered ${answer.status}: ${text.slice(0, 300)}`);
        });
        await commit(ids, batch);
      };

      // Warm-up: both paths once with one file, so neither pays for the JIT or first connections.
      await direct(await family('Warm-up direct'), files.slice(0, 1));
      await relayed(await family('Warm-up relay'), files.slice(0, 1));
      const directIds = await family('Direct family');
      const relayIds = await family('Relay family');
      ctx.log('  direct: signature, hash check, uploads straight to OSS, commit');
      const directRun = await measure(() => direct(directIds, files));
      ctx.log('  relay: hash check, uploads through the API, commit');
      const relayRun = await measure(() => relayed(relayIds, files));

      const per100MB = (n: number) => (n * 100e6) / uploadedBytes;
      return {
        method: `${count} files of ${fileBytes / 1e6} MB, ${concurrency} at once, no link shaping, after a one-file warm-up of each path; the API (SQLite) in a child process; the relay is a bench-only Express app in that process (busboy → V4-signed PUT, streamed). Bytes: every socket the API process accepted (diagnostics_channel net.server.socket); CPU: process.cpuUsage() deltas (user + system, all threads).`,
        details: { uploadedBytes, direct: directRun, relay: relayRun },
        figures: [
          figure({
            section: 'relay',
            id: 'relay.apiBytesReceivedPer100MB',
            label: 'API bytes received per 100 MB uploaded (direct)',
            unit: 'B',
            value: per100MB(directRun.bytesFromPhones),
            baseline: { label: 'relay through the API', value: per100MB(relayRun.bytesFromPhones) },
            target: { text: 'no file bytes (< one file)', met: () => directRun.bytesFromPhones < fileBytes },
          }),
          figure({
            section: 'relay',
            id: 'relay.apiCpuPer100MB',
            label: 'API CPU per 100 MB uploaded (direct)',
            unit: 's',
            value: per100MB(directRun.cpuSec),
            baseline: { label: 'relay through the API', value: per100MB(relayRun.cpuSec) },
            target: { text: 'below the relay', met: ({ ratio }) => ratio < 1 },
          }),
          figure({
            section: 'relay',
            id: 'relay.apiBytesSentUpstreamPer100MB',
            label: 'API bytes sent to OSS per 100 MB (direct)',
            unit: 'B',
            value: per100MB(directRun.bytesToUpstream),
            baseline: { label: 'relay through the API', value: per100MB(relayRun.bytesToUpstream) },
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
