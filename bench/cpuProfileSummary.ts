import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a V8 CPU profile (`node --cpu-prof`, e.g. from `bench/run.ts --cpu-prof=DIR`) spends its
 * time: self time by function and by module (package, Node internals, our own files). Used to find
 * the cause of a missed target.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byFunction: Array<{ name: string; ms: number; share: number }>;
  byModule: Array<{ name: string; ms: number; share: number }>;
}

/** A module name for a script URL: `express`, `node:internal/…`, `server/src/…`. */
export function moduleOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const marker = url.indexOf('/work/');
  const local = url.replace(/^file:\/\//, '');
  return marker >= 0 ? path.relative(process.cwd(), local) : local;
}

/** `window` (seconds from the profile's start) keeps only the samples of one phase, e.g. one load run. */
export function summariseCpuProfile(profile: CpuProfile, options: { top?: number; window?: [number, number] } = {}): ProfileSummary {
  const top = options.top ?? 25;
  const [fromUs, toUs] = (options.window ?? [0, Number.POSITIVE_INFINITY]).map((s) => s * 1e6);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let atUs = 0;
  profile.samples.forEach((id, i) => {
    atUs += profile.timeDeltas[i] ?? 0;
    if (atUs >= fromUs && atUs <= toUs) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const module = moduleOf(frame.url);
    const name = `${frame.functionName || '(anonymous)'} ${module}:${frame.lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    mod.set(module, (mod.get(module) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / totalUs }));
  return { totalMs: totalUs / 1000, byFunction: rank(fn), byModule: rank(mod) };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === __filename) {
  const args = process.argv.slice(2);
  const windowArg = args.find((a) => a.startsWith('--window='));
  const window = windowArg ? (windowArg.slice('--window='.length).split(',').map(Number) as [number, number]) : undefined;
  for (const file of args.filter((a) => !a.startsWith('--'))) {
    const summary = summariseCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, { window });
    console.log(`${file}: ${(summary.totalMs / 1000).toFixed(1)} s sampled`);
    console.log('\nby module (self time):');
    for (const m of summary.byModule) console.log(`  ${(m.share * 100).toFixed(1).padStart(5)}%  ${m.ms.toFixed(0).padStart(7)} ms  ${m.name}`);
    console.log('\nby function (self time):');
    for (const f of summary.byFunction) console.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}`);
  }
}
