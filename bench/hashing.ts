import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { startTsChild } from './childProcess';
import { figure } from './figures';
import type { HashChildInput, HashChildResult, HashMethod } from './hashChild';
import type { BenchContext, SectionResult } from './section';
import { median } from './stats';

async function writeRandomFile(filePath: string, bytes: number): Promise<void> {
  const file = await open(filePath, 'w');
  try {
    const block = 16 * 1024 * 1024;
    for (let written = 0; written < bytes; written += block) await file.write(randomBytes(Math.min(block, bytes - written)));
  } finally {
    await file.close();
  }
}

async function hashInChild(input: HashChildInput): Promise<HashChildResult> {
  const child = await startTsChild<HashChildResult>(path.join(__dirname, 'hashChild.ts'), input, { nodeArgs: ['--expose-gc'], timeoutMs: 300_000 });
  await child.close();
  return child.ready;
}

/**
 * Part 1. computeHash's fallback (spark-md5 over open + read through the Node wx) against
 * whole-buffer spark-md5 and Node's native MD5 on one file; each method runs in fresh processes,
 * timed from file path to digest, its RSS peak taken above the process's own baseline.
 */
export async function hashing(ctx: BenchContext): Promise<SectionResult> {
  const s = ctx.settings.hashing;
  const filePath = path.join(ctx.workDir, 'hash-input.bin');
  await writeRandomFile(filePath, s.fileBytes);
  const methods: HashMethod[] = ['native', 'sparkWhole', 'fallback'];
  const runs: Array<HashChildResult & { sweep?: boolean }> = [];
  for (let rep = 0; rep < s.repetitions; rep++) {
    // Rotated each round, so no method always runs first (or last) on a machine others share.
    for (const method of [...methods.slice(rep % methods.length), ...methods.slice(0, rep % methods.length)]) {
      const result = await hashInChild({ method, filePath, fileBytes: s.fileBytes, sampleMs: s.memorySampleMs });
      ctx.log(`  ${method}: ${(s.fileBytes / 1e6 / (result.ms / 1000)).toFixed(0)} MB/s, +${((result.peakRssBytes - result.baselineRssBytes) / 1e6).toFixed(1)} MB RSS`);
      runs.push(result);
    }
  }
  // Profile of the fallback's memory against its range-read size (one run each).
  const chunkSweep = [];
  for (const chunkBytes of s.chunkSweepBytes) {
    const r = await hashInChild({ method: 'fallback', filePath, fileBytes: s.fileBytes, chunkBytes, sampleMs: s.memorySampleMs });
    chunkSweep.push({ chunkBytes, mbPerSec: s.fileBytes / 1e6 / (r.ms / 1000), peakAboveBaselineMB: (r.peakRssBytes - r.baselineRssBytes) / 1e6 });
    ctx.log(`  fallback with ${chunkBytes / 1024} KiB reads: ${chunkSweep[chunkSweep.length - 1].mbPerSec.toFixed(0)} MB/s, +${chunkSweep[chunkSweep.length - 1].peakAboveBaselineMB.toFixed(1)} MB RSS`);
    runs.push({ ...r, sweep: true });
  }
  const digests = new Set(runs.map((r) => r.digest));
  if (digests.size !== 1) throw new Error(`hash methods disagree: ${[...digests].join(', ')}`);

  const summarise = (method: HashMethod) => {
    const mine = runs.filter((r) => r.method === method && !r.sweep);
    return {
      mbPerSec: median(mine.map((r) => s.fileBytes / 1e6 / (r.ms / 1000))),
      peakAboveBaselineMB: Math.max(...mine.map((r) => (r.peakRssBytes - r.baselineRssBytes) / 1e6)),
      runs: mine.map((r) => ({ ms: r.ms, baselineRssBytes: r.baselineRssBytes, peakRssBytes: r.peakRssBytes })),
    };
  };
  const summary = { native: summarise('native'), sparkWhole: summarise('sparkWhole'), fallback: summarise('fallback') };
  const sizeText = `${s.fileBytes / 1e6} MB`;

  return {
    method: `One random ${sizeText} file (page cache warm). Each method runs ${s.repetitions}× in a fresh Node process (--expose-gc, GC before the baseline), timed from path to digest; median speed, highest RSS peak above the process baseline, RSS sampled every ${s.memorySampleMs} ms from a worker thread. Fallback = computeHash({ forceFallback: true }) with its default read size over the Node wx's open + read into one reused buffer (chunkSweep: the same at other sizes); whole-buffer = fs.readFile + SparkMD5.ArrayBuffer.hash; native = crypto MD5 over a 1 MiB stream.`,
    details: { fileBytes: s.fileBytes, digest: [...digests][0], ...summary, chunkSweep },
    figures: [
      figure({
        section: 'hashing',
        id: 'hashing.fallback.speed',
        label: `fallback speed (${sizeText})`,
        unit: 'MB/s',
        value: summary.fallback.mbPerSec,
        baseline: { label: 'whole-buffer spark-md5', value: summary.sparkWhole.mbPerSec },
        target: { text: `≥ ${s.speedTargetRatio}× whole-buffer`, met: ({ ratio }) => ratio >= s.speedTargetRatio },
      }),
      figure({
        section: 'hashing',
        id: 'hashing.fallback.speedVsNative',
        label: `fallback speed against the limit`,
        unit: 'MB/s',
        value: summary.fallback.mbPerSec,
        baseline: { label: 'native crypto MD5', value: summary.native.mbPerSec },
      }),
      figure({
        section: 'hashing',
        id: 'hashing.fallback.peakMemory',
        label: 'fallback peak RSS above baseline',
        unit: 'MB',
        value: summary.fallback.peakAboveBaselineMB,
        baseline: { label: 'whole-buffer spark-md5', value: summary.sparkWhole.peakAboveBaselineMB },
        target: { text: `< ${s.memoryTargetBytes / 1e6} MB`, met: ({ value }) => value * 1e6 < s.memoryTargetBytes },
      }),
      figure({
        section: 'hashing',
        id: 'hashing.sparkWhole.speedVsNative',
        label: 'whole-buffer spark-md5 speed',
        unit: 'MB/s',
        value: summary.sparkWhole.mbPerSec,
        baseline: { label: 'native crypto MD5', value: summary.native.mbPerSec },
      }),
    ],
  };
}
