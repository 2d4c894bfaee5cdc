import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Figure } from '../../bench/figures';
import { SECTIONS } from '../../bench/figures';
import type { BenchReport } from '../../bench/report';
import { runBench, RunOutcome } from '../../bench/run';

/**
 * Keeps `npm run bench` working: the whole bench in its smoke mode (tiny files, 1 s loads), checked
 * for shape only — every section, numeric values and ratios, the chart. Its figures mean nothing
 * at these sizes, so no target and no timing is asserted.
 */
jest.setTimeout(120_000);

const EXPECTED_FIGURES = [
  'hashing.fallback.speed',
  'hashing.fallback.speedVsNative',
  'hashing.fallback.peakMemory',
  'upload.photos.ours',
  'upload.photos.sequential',
  'upload.photosAndVideos.ours',
  'upload.photosAndVideos.sequential',
  'reupload.wallTime',
  'reupload.bytesToOss',
  'reupload.apiRoundTrips',
  'throughput.signature.requestsPerSec',
  'throughput.signature.p99',
  'throughput.signature.assumeRoleCalls',
  'database.sqlite.hashCheck.p50',
  'database.sqlite.hashCheck.p99',
  'database.sqlite.commit.p50',
  'database.postgres.hashCheck.p99',
  'database.postgres.commit.p50',
  'relay.apiBytesReceivedPer100MB',
  'relay.apiCpuPer100MB',
  'verify.apiCpuPer100MB',
  'verify.bytesFromOssPer100MB',
  'video.alone.time',
  'video.alone.peakMemory',
  'video.cut.resentBytes',
  'video.restart.bytesSent',
];

describe('bench (smoke mode)', () => {
  let outDir: string;
  let outcome: RunOutcome;
  let report: BenchReport;
  let figures: Figure[];
  const lines: string[] = [];

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'bench-smoke-'));
    outcome = await runBench({ mode: 'smoke', outDir, log: (line) => lines.push(line) });
    report = JSON.parse(await readFile(outcome.jsonPath, 'utf8'));
    figures = SECTIONS.flatMap((s) => report.sections[s].figures);
  });
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  test('every section ran', () => {
    expect(outcome.failed).toEqual([]);
    for (const section of SECTIONS) {
      expect(report.sections[section].figures.length).toBeGreaterThan(0);
      expect(report.sections[section].method).not.toBe('');
    }
    expect(figures.map((f) => f.id)).toEqual(expect.arrayContaining(EXPECTED_FIGURES));
  });

  test('every measured figure has a numeric value, baseline and ratio; every skipped one says why', () => {
    for (const f of figures) {
      if (f.skipped !== undefined) {
        expect({ id: f.id, value: f.value, reason: f.skipped.length > 0 }).toEqual({ id: f.id, value: null, reason: true });
        continue;
      }
      expect({ id: f.id, value: Number.isFinite(f.value), baseline: Number.isFinite(f.baseline.value), ratio: Number.isFinite(f.ratio) }).toEqual({
        id: f.id,
        value: true,
        baseline: true,
        ratio: true,
      });
      expect(f.ratio).toBeCloseTo((f.value as number) / (f.baseline.value as number), 6);
      if (f.target) expect(typeof f.target.met).toBe('boolean');
    }
  });

  test('SQLite rows always run, PostgreSQL rows run wherever TEST_DATABASE_URL is set', () => {
    const byId = new Map(figures.map((f) => [f.id, f]));
    expect(byId.get('database.sqlite.hashCheck.p99')?.skipped).toBeUndefined();
    if (process.env.TEST_DATABASE_URL) expect(byId.get('database.postgres.hashCheck.p99')?.skipped).toBeUndefined();
  });

  test('the JSON records the machine, the versions and the settings', () => {
    expect(report.mode).toBe('smoke');
    expect(report.machine.cpus.count).toBeGreaterThan(0);
    expect(report.machine.memoryBytes).toBeGreaterThan(0);
    expect(report.versions.node).toBe(process.version);
    expect(report.versions.express).toMatch(/^5\./);
    expect(report.settings.upload.latencyMs).toBe(60);
    expect(report.durationSec).toBeGreaterThan(0);
  });

  test('the chart shows both albums with the three bars each', async () => {
    const svg = await readFile(outcome.svgPath, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(report.chart.albums).toHaveLength(2);
    for (const album of report.chart.albums) {
      expect(svg).toContain(album.label);
      for (const sec of [album.sequentialSec, album.oursSec, album.limitSec]) expect(Number.isFinite(sec)).toBe(true);
    }
    expect(svg.match(/<rect /g)).toHaveLength(1 + 3 * 2);
    for (const label of ["article's sequential loop", 'uploadFilesToOSS (ours)', 'link limit']) expect(svg).toContain(label.replace("'", '&apos;'));
  });

  test('the table has a block per section with a row per figure', () => {
    for (const title of ['1. Hashing', '2. Album upload', '3. Re-upload', '4. API throughput', '5. Database paths', '6. Direct upload against a relay']) {
      expect(outcome.table).toContain(title);
    }
    for (const f of figures) expect(outcome.table).toContain(f.label);
  });
});
