/**
 * `npm run soak`: 200 simulated users on loopback against the real stack (the API and the local
 * cloud each in a child process, so their memory and event loops are their own), each logging in,
 * then signing, uploading 5 small files and committing, with a second or two of thought between
 * rounds, for SOAK_SECONDS (60). Prints p50/p99 of every call, counts errors, and compares the
 * API's RSS at minute one with the end. Exits non-zero on any error or on memory growth. Bounded
 * in time and count; stops by itself.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { apiClient, ApiClient } from '../../testkit/apiClient';
import { postObject } from '../../testkit/postObject';
import { freePort } from '../../testkit/freePort';

const USERS = Number(process.env.SOAK_USERS ?? 200);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const FILES_PER_ROUND = 5;
/** A person picks the next photos; without it this is a stress test, not a soak. */
const THINK_MS = Number(process.env.SOAK_THINK_MS ?? 1000);
/** Memory may settle, not climb: the live heap at the end may exceed minute one's by at most this factor. */
const MAX_HEAP_GROWTH = 1.25;

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const latencies = new Map<string, number[]>();
const errors: string[] = [];

async function timed<T extends { status: number }>(name: string, call: () => Promise<T>, ok = (s: number) => s < 300): Promise<T> {
  const started = performance.now();
  const answer = await call();
  (latencies.get(name) ?? latencies.set(name, []).get(name)!).push(performance.now() - started);
  if (!ok(answer.status)) errors.push(`${name}: ${answer.status}`);
  return answer;
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function simulateUser(baseUrl: string, n: number, deadline: number): Promise<number> {
  const login = await timed('POST /auth/login', () => apiClient(baseUrl).post('/auth/login', { code: `test:soak${n}` }));
  const client: ApiClient = apiClient(baseUrl, login.body.token);
  const { family, album } = (await timed('POST /families', () => client.post('/families', { name: `soak ${n}` }))).body;
  let rounds = 0;
  while (Date.now() < deadline) {
    const policy = (await timed('GET /families/oss/signature', () => client.get(`/families/oss/signature?family_id=${family.id}&album_id=${album.id}`))).body;
    const files = Array.from({ length: FILES_PER_ROUND }, () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(4 * 1024)]));
    await timed('POST /photos/hash/check', () => client.post('/photos/hash/check', { family_id: family.id, hashes: files.map(md5) }));
    for (const f of files) await timed('PostObject (OSS)', () => postObject(policy, `${policy.file_base_path}${md5(f)}.jpg`, f));
    const commit = await timed('POST /photos', () =>
      client.post('/photos', {
        data: files.map((f, i) => ({ album_id: album.id, family_id: family.id, file_name: `IMG_${rounds}_${i}.jpg`, object_key: `${policy.file_base_path}${md5(f)}.jpg`, file_type: 'image', file_size: f.length, hash_value: md5(f) })),
      }),
    );
    if (commit.body?.failed?.length) errors.push(`POST /photos: ${JSON.stringify(commit.body.failed[0])}`);
    await timed('GET /albums/:id/photos', () => client.get(`/albums/${album.id}/photos?limit=20`));
    rounds += 1;
    await new Promise((resolve) => setTimeout(resolve, THINK_MS + Math.random() * THINK_MS));
  }
  return rounds;
}

/** A support script in a child process (`node --import tsx`), and the first match of its output. */
function startChild(script: string, env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, '../../testkit', script)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  return {
    process: child,
    /** Asks the child for its live heap after a full GC (see apiProcess.ts). */
    liveHeapBytes: () =>
      new Promise<number>((resolve) => {
        const onData = (c: Buffer) => {
          const m = /memory (\{.*\})/.exec(String(c));
          if (!m) return;
          child.stdout!.off('data', onData);
          resolve((JSON.parse(m[1]) as { heapUsedBytes: number }).heapUsedBytes);
        };
        child.stdout!.on('data', onData);
        child.kill('SIGUSR2');
      }),
    ready: (pattern: RegExp) =>
      new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', (c: Buffer) => {
          output += c;
          const m = pattern.exec(output);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
      }),
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'album-soak-'));
  const cloudChild = startChild('cloudProcess.ts', { ...process.env, DATA_DIR: dataDir });
  const urls = JSON.parse(await cloudChild.ready(/cloud (\{.*\})/)) as { oss: string; sts: string; wechat: string };
  const port = (url: string) => new URL(url).port;
  // Everyone here shares one loopback address: lift the per-IP budgets, keep the per-user ones.
  const apiChild = startChild('apiProcess.ts', {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    LOCAL_OSS_PORT: port(urls.oss),
    LOCAL_STS_PORT: port(urls.sts),
    LOCAL_WECHAT_PORT: port(urls.wechat),
    RATE_LIMIT_LOGIN_PER_IP: '100000',
    RATE_LIMIT_SIGNATURE_PER_IP: '1000000',
    RATE_LIMIT_JOIN_PER_IP: '1000000',
    LOG_LEVEL: 'warn',
  });
  const baseUrl = await apiChild.ready(/listening (\S+)/);
  const child = apiChild.process;

  const rss: Array<{ atSec: number; bytes: number }> = [];
  const started = Date.now();
  const sampler = setInterval(() => rss.push({ atSec: (Date.now() - started) / 1000, bytes: rssBytes(child.pid!) }), 1000);
  const deadline = started + SECONDS * 1000;
  console.log(`soak: ${USERS} users for ${SECONDS} s against ${baseUrl}`);
  let heapAtMinuteOne = NaN;
  const heapProbe = setTimeout(async () => (heapAtMinuteOne = await apiChild.liveHeapBytes()), SECONDS * 150);
  const rounds = await Promise.all(Array.from({ length: USERS }, (_, n) => simulateUser(baseUrl, n, deadline).catch((e) => (errors.push(String(e)), 0))));
  clearInterval(sampler);
  clearTimeout(heapProbe);
  const heapAtEnd = await apiChild.liveHeapBytes();
  child.kill('SIGTERM');
  cloudChild.process.kill('SIGTERM');
  await rm(dataDir, { recursive: true, force: true });

  const totalRounds = rounds.reduce((a, b) => a + b, 0);
  console.log(`\n${totalRounds} rounds (${totalRounds * FILES_PER_ROUND} photos) in ${((Date.now() - started) / 1000).toFixed(1)} s, ${errors.length} errors`);
  console.log('\ncall                          count     p50 ms    p99 ms');
  for (const [name, values] of latencies) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(`${name.padEnd(28)} ${String(sorted.length).padStart(6)} ${percentile(sorted, 50).toFixed(1).padStart(10)} ${percentile(sorted, 99).toFixed(1).padStart(9)}`);
  }
  // Minute one: the samples after warm-up (10–20 % of the run); the end: the last 10 %.
  const window = (from: number, to: number) => rss.slice(Math.floor(from * rss.length), Math.max(Math.floor(from * rss.length) + 1, Math.floor(to * rss.length))).map((s) => s.bytes);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const early = mean(window(0.1, 0.2));
  const late = mean(window(0.9, 1));
  const series = rss.filter((_, i) => i % Math.max(1, Math.round(rss.length / 12)) === 0).map((s) => `${s.atSec.toFixed(0)}s ${(s.bytes / 2 ** 20).toFixed(0)}MB`);
  console.log(`\nAPI RSS over time: ${series.join(', ')}`);
  console.log(`API RSS: ${(early / 2 ** 20).toFixed(1)} MB early, ${(late / 2 ** 20).toFixed(1)} MB at the end (×${(late / early).toFixed(2)})`);
  const heapGrowth = heapAtEnd / heapAtMinuteOne;
  console.log(`API live heap after GC: ${(heapAtMinuteOne / 2 ** 20).toFixed(1)} MB early, ${(heapAtEnd / 2 ** 20).toFixed(1)} MB at the end (×${heapGrowth.toFixed(2)}, limit ×${MAX_HEAP_GROWTH})`);
  for (const e of errors.slice(0, 10)) console.log(`error: ${e}`);
  // The live heap is what a leak grows; RSS also holds what V8 and SQLite keep cached, so it is reported, not judged.
  const failed = errors.length > 0 || !(heapGrowth <= MAX_HEAP_GROWTH) || totalRounds === 0;
  console.log(failed ? '\nsoak: FAILED' : '\nsoak: passed');
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
