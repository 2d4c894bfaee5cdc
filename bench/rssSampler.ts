import { Worker } from 'node:worker_threads';

const SAMPLER = `
const { parentPort, workerData } = require('node:worker_threads');
let peak = 0;
const sample = () => { const rss = process.memoryUsage.rss(); if (rss > peak) peak = rss; };
setInterval(sample, workerData.sampleMs);
parentPort.on('message', (m) => { if (m === 'reset') peak = 0; sample(); parentPort.postMessage(peak); });
`;

export interface RssSampler {
  /** Starts a new peak; answers the RSS now. */
  reset(): Promise<number>;
  /** The highest RSS since the last reset. */
  read(): Promise<number>;
  stop(): Promise<number>;
}

/**
 * The process's peak RSS, sampled every `sampleMs` from a worker thread (RSS is per process), so
 * sampling goes on while the main thread is busy hashing or sending.
 */
export function startRssSampler(sampleMs: number): RssSampler {
  const worker = new Worker(SAMPLER, { eval: true, workerData: { sampleMs } });
  const ask = (m: 'reset' | 'read') =>
    new Promise<number>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(m);
    });
  return { reset: () => ask('reset'), read: () => ask('read'), stop: () => worker.terminate() };
}
