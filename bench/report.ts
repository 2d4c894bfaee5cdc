import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Figure, SectionName } from './figures';
import { SECTIONS } from './figures';
import type { MachineInfo } from './machineInfo';
import type { BenchSettings } from './settings';
import { renderUploadChart, UploadChartInput } from './uploadChart';

export interface BenchReport {
  mode: BenchSettings['mode'];
  startedAt: string;
  finishedAt: string;
  durationSec: number;
  machine: MachineInfo & { loadAverageAtStart: number[] };
  versions: Record<string, string>;
  settings: BenchSettings;
  /** Per section: its rows, what it measured beyond them, and how. */
  sections: Record<SectionName, { figures: Figure[]; details: Record<string, unknown>; method: string }>;
  chart: UploadChartInput;
}

const SECTION_TITLES: Record<SectionName, string> = {
  hashing: '1. Hashing (computeHash fallback)',
  upload: '2. Album upload over a phone link',
  reupload: '3. Re-upload of the same album',
  throughput: '4. API throughput: GET /families/oss/signature',
  database: '5. Database paths',
  relay: '6. Direct upload against a relay through the API',
  verify: '7. What verifying a multipart upload costs the API',
  video: '8. One long video: alone, cut, relaunched',
};

/** Three significant digits, no exponent for the sizes we show. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US');
  const digits = Math.max(0, 2 - Math.floor(Math.log10(abs)));
  return n.toFixed(Math.min(digits, 6));
}

const SINGULAR: Record<string, string> = { calls: 'call' };

function withUnit(value: number | null, unit: string): string {
  if (value === null) return '—';
  const shown = value === 1 ? (SINGULAR[unit] ?? unit) : unit;
  return shown ? `${formatNumber(value)} ${shown}` : formatNumber(value);
}

function metText(f: Figure): string {
  if (f.skipped) return 'skipped';
  if (!f.target) return '';
  if (f.target.met === null) return '?';
  return f.target.met ? 'yes' : 'NO';
}

/** The table printed on stdout: one block per section, columns aligned. */
export function formatTable(figures: readonly Figure[]): string {
  const header = ['figure', 'value', 'baseline / limit', 'ratio', 'target', 'met?'];
  const lines: string[] = [];
  for (const section of SECTIONS) {
    const rows = figures.filter((f) => f.section === section);
    if (rows.length === 0) continue;
    const cells = rows.map((f) => [
      f.label,
      f.skipped ? 'skipped' : withUnit(f.value, f.unit),
      `${f.baseline.label}: ${withUnit(f.baseline.value, f.baseline.unit)}`,
      f.ratio === null ? '—' : `${formatNumber(f.ratio)}×`,
      f.target?.text ?? '',
      metText(f),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c: string[]) => c.map((text, i) => text.padEnd(widths[i])).join(' | ').trimEnd();
    lines.push('', SECTION_TITLES[section], line(header), widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const c of cells) lines.push(line(c));
    for (const f of rows) if (f.skipped) lines.push(`  (${f.label}: skipped — ${f.skipped})`);
  }
  return lines.join('\n');
}

/** `latest.json` and `upload.svg` in `outDir`. */
export async function writeReport(outDir: string, report: BenchReport): Promise<{ jsonPath: string; svgPath: string }> {
  await mkdir(outDir, { recursive: true });
  const jsonPath = path.join(outDir, 'latest.json');
  const svgPath = path.join(outDir, 'upload.svg');
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(svgPath, renderUploadChart(report.chart));
  return { jsonPath, svgPath };
}
