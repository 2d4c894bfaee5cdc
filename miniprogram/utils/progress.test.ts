import { bytesFromUploadEvent, createProgressReporter, initialProgress, withBytes, withState } from './progress';
import type { BatchProgress } from './types';

describe('bytesFromUploadEvent', () => {
  test('scales the request fraction to the file (the multipart body is larger than the file)', () => {
    expect(bytesFromUploadEvent({ progress: 50, totalBytesSent: 600, totalBytesExpectedToSend: 1200 }, 1000)).toBe(500);
  });
  test('expected 0 → trusts `progress`; sent beyond expected → clamped to the file', () => {
    expect(bytesFromUploadEvent({ progress: 30, totalBytesSent: 123, totalBytesExpectedToSend: 0 }, 1000)).toBe(300);
    expect(bytesFromUploadEvent({ progress: 100, totalBytesSent: 5000, totalBytesExpectedToSend: 1200 }, 1000)).toBe(1000);
    expect(bytesFromUploadEvent({ progress: NaN, totalBytesSent: NaN, totalBytesExpectedToSend: 0 }, 1000)).toBe(0);
    expect(bytesFromUploadEvent({ progress: -5, totalBytesSent: -5, totalBytesExpectedToSend: 100 }, 1000)).toBe(0);
  });
});

describe('the progress fold', () => {
  test('per-file and total percent; 100 only when done; never backwards', () => {
    let p = initialProgress([1000, 3000]);
    expect(p).toMatchObject({ bytesSent: 0, bytesTotal: 4000, percent: 0 });
    p = withState(p, 0, 'uploading');
    p = withBytes(p, 0, 500);
    expect(p.files[0]).toEqual({ state: 'uploading', bytesSent: 500, bytesTotal: 1000, percent: 50 });
    expect(p.percent).toBe(12);
    // A retry starts again at 0 on the wire: the screen does not go back.
    p = withBytes(p, 0, 100);
    expect(p.files[0].bytesSent).toBe(500);
    // Android jumps to 100 % at once: bytes are all sent, but the file is not done until OSS answers.
    p = withBytes(p, 0, 5000);
    expect(p.files[0]).toMatchObject({ bytesSent: 1000, percent: 99 });
    p = withState(p, 0, 'uploaded');
    expect(p.files[0].percent).toBe(100);
    // Progress after success changes nothing.
    expect(withBytes(p, 0, 10)).toBe(p);
    expect(p.percent).toBe(25);
    p = withState(p, 1, 'failed');
    // A final state is never left.
    expect(withState(p, 1, 'uploading')).toBe(p);
    expect(p.percent).toBe(100);
  });

  test('instant files count all their bytes; cancelled and failed files settle the batch', () => {
    let p = initialProgress([100, 100, 100]);
    p = withState(p, 0, 'instant');
    p = withState(p, 1, 'cancelled');
    expect(p.files.map((f) => f.percent)).toEqual([100, 0, 0]);
    expect(p.bytesSent).toBe(100);
    expect(p.percent).toBe(66);
    p = withState(p, 2, 'failed');
    expect(p.percent).toBe(100);
  });

  test('random event sequences: total and per-file percent never decrease and end at 100', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const sizes = [1, 10, 1000, 123457, 5_000_000];
    let p = initialProgress(sizes);
    let last = p;
    const violations: string[] = [];
    for (let step = 0; step < 2000; step++) {
      const i = Math.floor(random() * sizes.length);
      const r = random();
      if (r < 0.05) p = withState(p, i, (['uploading', 'committing', 'uploaded', 'failed'] as const)[Math.floor(random() * 4)]);
      else p = withBytes(p, i, bytesFromUploadEvent({ progress: random() * 100, totalBytesSent: random() * sizes[i] * 1.2, totalBytesExpectedToSend: random() < 0.1 ? 0 : sizes[i] * 1.1 }, sizes[i]));
      if (p.percent < last.percent) violations.push(`step ${step}: total ${last.percent} → ${p.percent}`);
      p.files.forEach((f, k) => {
        if (f.percent < last.files[k].percent) violations.push(`step ${step}: file ${k} ${last.files[k].percent} → ${f.percent}`);
        if (f.bytesSent > f.bytesTotal || f.bytesSent < last.files[k].bytesSent) violations.push(`step ${step}: file ${k} bytes ${f.bytesSent}`);
      });
      last = p;
    }
    expect(violations).toEqual([]);
    expect(p.percent).toBeGreaterThan(0);
    for (let i = 0; i < sizes.length; i++) p = withState(p, i, 'uploaded');
    expect(p.percent).toBe(100);
    expect(p.files.every((f) => f.percent === 100)).toBe(true);
  });
});

describe('createProgressReporter', () => {
  test('byte updates at most every 100 ms of the injected clock; forced ones at once', () => {
    let clock = 0;
    const seen: BatchProgress[] = [];
    const report = createProgressReporter({ onProgress: (p) => seen.push(p), now: () => clock });
    let p = initialProgress([1000]);
    report(p, true);
    for (let b = 1; b <= 10; b++) {
      clock += 30;
      p = withBytes(p, 0, b * 50);
      report(p);
    }
    // t = 0 (forced), then t = 120, 240 (every ≥ 100 ms); 300 is too soon after 240.
    expect(seen.map((s) => s.bytesSent)).toEqual([0, 200, 400]);
    p = withState(p, 0, 'uploaded');
    report(p, true);
    expect(seen[seen.length - 1].percent).toBe(100);
    // The same snapshot twice is sent once.
    report(p, true);
    expect(seen).toHaveLength(4);
  });
});
