import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStack, StoreKind } from '../testkit/startStack';
import { databasePaths } from './databasePaths';
import { directVsRelay } from './directVsRelay';
import { hashing } from './hashing';
import { largeVideo } from './largeVideo';
import { machineInfo, versions } from './machineInfo';
import { multipartVerification } from './multipartVerification';
import { postgresTarget } from './postgresTarget';
import { BenchReport, formatTable, writeReport } from './report';
import type { BenchContext, SectionResult } from './section';
import { SECTIONS, SectionName } from './figures';
import { benchSettings } from './settings';
import { signatureThroughput } from './signatureThroughput';
import { albumUploads } from './albumUploads';
import type { AlbumTimes } from './uploadChart';

export interface RunOptions {
  mode: 'full' | 'smoke';
  outDir: string;
  /** Run only these sections (the others are reported as not run). */
  only?: readonly SectionName[];
  /** Write a V8 CPU profile of the API's child process into this folder (`--cpu-prof=DIR`). */
  cpuProfileDir?: string;
  log?: (line: string) => void;
}

export interface RunOutcome {
  report: BenchReport;
  table: string;
  jsonPath: string;
  svgPath: string;
  /** Sections that threw instead of measuring. */
  failed: SectionName[];
}

/** The API's rate limits stay in place (their cost is measured) but high enough never to refuse the bench. */
const BENCH_ENV: Record<string, string> = {
  RATE_LIMIT_LOGIN_PER_IP: '1000000000',
  RATE_LIMIT_LOGIN_PER_USER: '1000000000',
  RATE_LIMIT_SIGNATURE_PER_USER: '1000000000',
  RATE_LIMIT_SIGNATURE_PER_IP: '1000000000',
  RATE_LIMIT_JOIN_PER_USER: '1000000000',
  RATE_LIMIT_JOIN_PER_IP: '1000000000',
  RATE_LIMIT_COMMIT_PER_USER: '1000000000',
  RATE_LIMIT_OSS_HEADS_PER_USER: '1000000000',
  RATE_LIMIT_MULTIPART_PER_USER: '1000000000',
};

const RUNNERS: Array<{ sections: SectionName[]; run: (ctx: BenchContext) => Promise<Partial<Record<SectionName, SectionResult>>> }> = [
  { sections: ['hashing'], run: async (ctx) => ({ hashing: await hashing(ctx) }) },
  { sections: ['upload', 'reupload'], run: (ctx) => albumUploads(ctx) },
  { sections: ['throughput'], run: async (ctx) => ({ throughput: await signatureThroughput(ctx) }) },
  { sections: ['database'], run: async (ctx) => ({ database: await databasePaths(ctx) }) },
  { sections: ['relay'], run: async (ctx) => ({ relay: await directVsRelay(ctx) }) },
  { sections: ['verify'], run: async (ctx) => ({ verify: await multipartVerification(ctx) }) },
  { sections: ['video'], run: async (ctx) => ({ video: await largeVideo(ctx) }) },
];

export async function runBench(options: RunOptions): Promise<RunOutcome> {
  const log = options.log ?? ((line: string) => console.log(line));
  const settings = benchSettings(options.mode);
  const started = new Date();
  const startedMs = performance.now();
  const loadAverageAtStart = machineInfo().loadAverage;
  const postgres = await postgresTarget(process.env);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'album-bench-'));
  const ctx: BenchContext = {
    settings,
    env: BENCH_ENV,
    postgres,
    workDir,
    apiNodeArgs: options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [],
    log,
    startStack: (kind: StoreKind) => {
      if (kind === 'sqlite') return startStack('sqlite', { env: BENCH_ENV });
      if (!('url' in postgres)) throw new Error(postgres.skipped);
      // startStack reads TEST_DATABASE_URL when it is called; set it for that call only.
      const previous = process.env.TEST_DATABASE_URL;
      process.env.TEST_DATABASE_URL = postgres.url;
      return startStack('postgres', { env: BENCH_ENV }).finally(() => {
        if (previous === undefined) delete process.env.TEST_DATABASE_URL;
        else process.env.TEST_DATABASE_URL = previous;
      });
    },
  };

  const sections = {} as BenchReport['sections'];
  const failed: SectionName[] = [];
  try {
    for (const runner of RUNNERS) {
      if (options.only && !runner.sections.some((s) => options.only?.includes(s))) {
        for (const s of runner.sections) sections[s] = { figures: [], details: { notRun: 'not selected' }, method: '' };
        continue;
      }
      log(`bench: ${runner.sections.join(' + ')} …`);
      const sectionStarted = performance.now();
      try {
        const results = await runner.run(ctx);
        for (const s of runner.sections) sections[s] = results[s] ?? { figures: [], details: { error: 'no result' }, method: '' };
      } catch (err) {
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        log(`bench: ${runner.sections.join(' + ')} FAILED: ${message}`);
        for (const s of runner.sections) {
          failed.push(s);
          sections[s] = { figures: [], details: { error: message }, method: '' };
        }
      }
      log(`bench: ${runner.sections.join(' + ')} took ${((performance.now() - sectionStarted) / 1000).toFixed(1)} s`);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  const albums = (sections.upload?.details.albums as AlbumTimes[] | undefined) ?? [];
  const up = settings.upload;
  const report: BenchReport = {
    mode: options.mode,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    durationSec: (performance.now() - startedMs) / 1000,
    // Load averages at both ends: figures from a machine others were using are noisier.
    machine: { ...machineInfo(), loadAverageAtStart },
    versions: { ...versions(path.resolve(__dirname, '..')), postgresql: 'url' in postgres ? postgres.serverVersion : 'not reached' },
    settings,
    sections,
    chart: {
      title: 'Album upload: the article’s sequential loop vs uploadFilesToOSS vs the link limit',
      subtitle: `Phone link: ${up.latencyMs} ms per request, ${up.bytesPerSecPerConnection / 1e6} MB/s per connection, ${up.bytesPerSecTotal / 1e6} MB/s in all (${options.mode} run)`,
      albums,
    },
  };
  const table = formatTable(SECTIONS.flatMap((s) => sections[s]?.figures ?? []));
  const { jsonPath, svgPath } = await writeReport(options.outDir, report);
  return { report, table, jsonPath, svgPath, failed };
}

function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): RunOptions {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const smoke = argv.includes('--smoke') || env.BENCH_SMOKE === '1';
  const only = value('only')?.split(',').map((s) => s.trim()) as SectionName[] | undefined;
  const unknown = only?.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown?.length) throw new Error(`--only: unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
  const profile = value('cpu-prof');
  return { mode: smoke ? 'smoke' : 'full', outDir: path.resolve(value('out') ?? path.join(__dirname, 'results')), only, cpuProfileDir: profile ? path.resolve(profile) : undefined };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2), process.env);
  const outcome = await runBench(options);
  console.log(outcome.table);
  console.log(`\nWrote ${path.relative(process.cwd(), outcome.jsonPath)} and ${path.relative(process.cwd(), outcome.svgPath)} (${outcome.report.durationSec.toFixed(0)} s).`);
  if (outcome.failed.length) {
    console.error(`Sections that failed to run: ${outcome.failed.join(', ')}`);
    process.exitCode = 1;
  }
}

// Run as a script (`tsx bench/run.ts`), not when imported by the smoke test.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === __filename) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
