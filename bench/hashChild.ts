import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import SparkMD5 from 'spark-md5';
import { computeHash } from '../miniprogram/utils/computeHash';
import { createNodeWx } from '../testkit/nodeWx';
import { serveChild } from './childProcess';
import { startRssSampler } from './rssSampler';

/**
 * One hashing method in a fresh process, so its memory is its own; RSS is sampled from a worker
 * thread, which keeps sampling while spark-md5 holds the main thread.
 */

export type HashMethod = 'fallback' | 'sparkWhole' | 'native';

export interface HashChildInput {
  method: HashMethod;
  filePath: string;
  fileBytes: number;
  /** The fallback's range-read size; undefined = computeHash's default. */
  chunkBytes?: number;
  sampleMs: number;
}

export interface HashChildResult {
  method: HashMethod;
  digest: string;
  ms: number;
  baselineRssBytes: number;
  peakRssBytes: number;
}

async function run(input: HashChildInput): Promise<string> {
  switch (input.method) {
    case 'fallback': {
      const wx = createNodeWx();
      try {
        return await computeHash({ path: input.filePath, size: input.fileBytes }, { wx, forceFallback: true, chunkBytes: input.chunkBytes });
      } finally {
        wx.close();
      }
    }
    case 'sparkWhole': {
      const bytes = await readFile(input.filePath);
      // An ArrayBuffer, not the Buffer: spark-md5 copies a typed array before hashing it.
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return SparkMD5.ArrayBuffer.hash(whole as ArrayBuffer);
    }
    case 'native': {
      const hash = createHash('md5');
      for await (const chunk of createReadStream(input.filePath, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
      return hash.digest('hex');
    }
  }
}

serveChild<HashChildInput>(async (input) => {
  const sampler = startRssSampler(input.sampleMs);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const baselineRssBytes = process.memoryUsage.rss();
  await sampler.reset();
  const started = performance.now();
  const digest = await run(input);
  const ms = performance.now() - started;
  const peakRssBytes = await sampler.read();
  await sampler.stop();
  const result: HashChildResult = { method: input.method, digest, ms, baselineRssBytes, peakRssBytes };
  return { ready: result, handlers: {}, close: async () => undefined };
});
