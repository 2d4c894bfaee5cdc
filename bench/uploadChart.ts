/** One album's upload times, in seconds. */
export interface AlbumTimes {
  label: string;
  totalBytes: number;
  sequentialSec: number | null;
  oursSec: number | null;
  limitSec: number;
}

export interface UploadChartInput {
  title: string;
  subtitle: string;
  albums: AlbumTimes[];
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** A round tick step (1, 2 or 5 × 10^n) giving about `count` ticks up to `max`. */
function tickStep(max: number, count: number): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return step ?? 10 * power;
}

/**
 * A horizontal bar chart, one group per album: the article's sequential loop, ours, and the link
 * limit (bytes ÷ bandwidth + one round trip). Plain SVG with its own labels, readable without the JSON.
 */
export function renderUploadChart(input: UploadChartInput): string {
  const width = 900;
  const left = 250;
  const right = 190;
  const barHeight = 22;
  const barGap = 8;
  const groupGap = 30;
  const top = 78;
  const plotWidth = width - left - right;
  const rows = [
    { key: 'sequentialSec', label: "article's sequential loop", color: '#c0504d' },
    { key: 'oursSec', label: 'uploadFilesToOSS (ours)', color: '#2e75b6' },
    { key: 'limitSec', label: 'link limit', color: '#7f7f7f' },
  ] as const;
  const groupHeight = 24 + rows.length * (barHeight + barGap);
  const plotBottom = top + input.albums.length * (groupHeight + groupGap);
  const height = plotBottom + 60;
  const maxSec = Math.max(1, ...input.albums.flatMap((a) => [a.sequentialSec ?? 0, a.oursSec ?? 0, a.limitSec]));
  const step = tickStep(maxSec, 6);
  const axisMax = Math.ceil(maxSec / step) * step;
  const x = (sec: number) => left + (sec / axisMax) * plotWidth;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="20" y="30" font-size="18" font-weight="bold">${escapeXml(input.title)}</text>`);
  parts.push(`<text x="20" y="52" fill="#555">${escapeXml(input.subtitle)}</text>`);

  for (let t = 0; t <= axisMax + 1e-9; t += step) {
    parts.push(`<line x1="${x(t).toFixed(1)}" y1="${top - 8}" x2="${x(t).toFixed(1)}" y2="${plotBottom - groupGap + 6}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${x(t).toFixed(1)}" y="${plotBottom - groupGap + 22}" text-anchor="middle" fill="#555">${Number(t.toFixed(3))} s</text>`);
  }

  input.albums.forEach((album, g) => {
    const groupTop = top + g * (groupHeight + groupGap);
    parts.push(`<text x="20" y="${groupTop + 12}" font-weight="bold">${escapeXml(album.label)} — ${(album.totalBytes / 1e6).toFixed(1)} MB</text>`);
    rows.forEach((row, r) => {
      const y = groupTop + 24 + r * (barHeight + barGap);
      const sec = album[row.key];
      parts.push(`<text x="${left - 10}" y="${y + barHeight / 2 + 4}" text-anchor="end">${escapeXml(row.label)}</text>`);
      if (sec === null) {
        parts.push(`<text x="${left + 6}" y="${y + barHeight / 2 + 4}" fill="#999">not measured</text>`);
        return;
      }
      const w = Math.max(1, x(sec) - left);
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${row.color}"/>`);
      const ratio = row.key === 'limitSec' ? '' : ` (${(sec / album.limitSec).toFixed(2)}× limit)`;
      parts.push(`<text x="${(left + w + 6).toFixed(1)}" y="${y + barHeight / 2 + 4}">${sec.toFixed(1)} s${ratio}</text>`);
    });
  });
  parts.push(`<text x="20" y="${height - 14}" fill="#777" font-size="11">Shorter is better. Limit = album bytes ÷ total bandwidth + one round trip; same run, same emulator, same phone model (bench/results/latest.json).</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
