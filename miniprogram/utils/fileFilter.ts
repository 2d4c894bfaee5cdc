import { DEFAULT_EXTENSION, MEDIA_TYPES, extensionOfPath, isSupportedExtension } from '@family-album/contract';
import type { MediaKind, RejectedFile, SelectedFile } from './types';

export interface FilterOptions {
  maxSizeBytes: number;
  /** Epoch ms; names and times of picked files come from it. */
  now: () => number;
  /** Files already in the list: a file equal to one of them is dropped. */
  existing?: readonly SelectedFile[];
}

export interface FilterResult {
  accepted: SelectedFile[];
  rejected: RejectedFile[];
}

/** Reasons the page shows as they are. */
export const REJECT_REASONS = {
  unsupported: '不支持的文件类型',
  empty: '文件为空',
  unknownSize: '无法读取文件大小',
  duplicate: '文件已在列表中',
  tooLarge: (maxSizeBytes: number) => `文件超过 ${formatBytes(maxSizeBytes)} 上限`,
};

/** "1 GB", "500 MB", "1.5 MB": the limit as a person reads it. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Math.round(value * 10) / 10} ${units[unit]}`;
}

/** A picked file before checks: what both pickers have in common. */
interface Candidate {
  path: string;
  /** The picker's name, or '' (chooseMedia gives none). */
  name: string;
  size: unknown;
  time: number;
  /** What the picker says it is, when it says. */
  kind: MediaKind | undefined;
}

/** `wx.chooseMedia` results: no names; `size` has arrived as a string on some Android phones. */
export function fromChooseMedia(result: WechatMiniprogram.ChooseMediaSuccessCallbackResult, options: FilterOptions): FilterResult {
  const batchKind = result.type === 'image' || result.type === 'video' ? result.type : undefined;
  const pickedAt = options.now();
  return filterCandidates(
    (result.tempFiles ?? []).map((f) => ({
      path: f.tempFilePath,
      name: '',
      size: f.size,
      time: pickedAt,
      kind: f.fileType === 'image' || f.fileType === 'video' ? f.fileType : batchKind,
    })),
    options,
  );
}

/** `wx.chooseMessageFile` results: names given; `time` is in seconds. */
export function fromChooseMessageFile(result: WechatMiniprogram.ChooseMessageFileSuccessCallbackResult, options: FilterOptions): FilterResult {
  const pickedAt = options.now();
  return filterCandidates(
    (result.tempFiles ?? []).map((f) => ({
      path: f.path,
      name: typeof f.name === 'string' ? f.name.trim() : '',
      size: f.size,
      time: toEpochMs(f.time) ?? pickedAt,
      kind: f.type === 'image' || f.type === 'video' ? f.type : undefined,
    })),
    options,
  );
}

/** The file's extension, lower-case, from its name (else its path, else its kind); 'jpeg' stays 'jpeg'. */
export function extensionOf(file: SelectedFile): string {
  const fromName = extensionOfPath(file.name);
  if (isSupportedExtension(fromName)) return fromName;
  const fromPath = extensionOfPath(file.path);
  if (isSupportedExtension(fromPath)) return fromPath;
  return DEFAULT_EXTENSION[file.type];
}

/** The Content-Type OSS stores, from the extension (the policy admits only these). */
export function contentTypeOf(file: SelectedFile): string {
  return MEDIA_TYPES[extensionOf(file)]?.contentType ?? 'application/octet-stream';
}

/** Bytes as a number; some Android phones send a string. Anything else is unknown. */
function parseSize(size: unknown): number | undefined {
  const n = typeof size === 'number' ? size : typeof size === 'string' && size.trim() !== '' ? Number(size.trim()) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}

function toEpochMs(time: unknown): number | undefined {
  const t = Number(time);
  if (!Number.isFinite(t) || t <= 0) return undefined;
  // chooseMessageFile documents seconds; accept ms too, in case a client sends them.
  return t < 1e11 ? t * 1000 : t;
}

/** The extension and kind a candidate would be stored with, or undefined when the album cannot take it. */
function classify(candidate: Candidate): { extension: string; kind: MediaKind } | undefined {
  const fromName = extensionOfPath(candidate.name);
  const extension = fromName || extensionOfPath(candidate.path);
  if (extension) return isSupportedExtension(extension) ? { extension, kind: MEDIA_TYPES[extension].kind } : undefined;
  // A temp path without an extension: trust the picker's kind, stored as what the picker produces.
  return candidate.kind ? { extension: DEFAULT_EXTENSION[candidate.kind], kind: candidate.kind } : undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `IMG_20240115_083000_1.jpg`, local time: what a camera would call it. */
function builtName(kind: MediaKind, time: number, n: number, extension: string): string {
  const d = new Date(time);
  const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}_${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  return `${kind === 'video' ? 'VID' : 'IMG'}_${stamp}_${n}.${extension}`;
}

function filterCandidates(candidates: readonly Candidate[], options: FilterOptions): FilterResult {
  const accepted: SelectedFile[] = [];
  const rejected: RejectedFile[] = [];
  const existing = options.existing ?? [];
  const paths = new Set(existing.map((f) => f.path));
  const nameSizes = new Set(existing.map((f) => `${f.name}\u0000${f.size}`));
  const names = new Set(existing.map((f) => f.name));
  let counter = 0;

  for (const candidate of candidates) {
    const shownName = candidate.name || candidate.path.split(/[\\/]/).pop() || candidate.path;
    const type = classify(candidate);
    if (!type) {
      rejected.push({ name: shownName, reason: REJECT_REASONS.unsupported });
      continue;
    }
    const size = parseSize(candidate.size);
    if (size === undefined) {
      rejected.push({ name: shownName, reason: REJECT_REASONS.unknownSize });
      continue;
    }
    if (size === 0) {
      rejected.push({ name: shownName, reason: REJECT_REASONS.empty });
      continue;
    }
    if (size > options.maxSizeBytes) {
      rejected.push({ name: shownName, reason: REJECT_REASONS.tooLarge(options.maxSizeBytes) });
      continue;
    }
    if (paths.has(candidate.path) || (candidate.name && nameSizes.has(`${candidate.name}\u0000${size}`))) {
      rejected.push({ name: shownName, reason: REJECT_REASONS.duplicate });
      continue;
    }

    let name = candidate.name;
    if (!name) {
      do name = builtName(type.kind, candidate.time, ++counter, type.extension);
      while (names.has(name));
    }
    const file: SelectedFile = { path: candidate.path, name, size, sizeKb: Math.ceil(size / 1024), time: candidate.time, type: type.kind, hash: '' };
    accepted.push(file);
    paths.add(file.path);
    nameSizes.add(`${file.name}\u0000${file.size}`);
    names.add(file.name);
  }
  return { accepted, rejected };
}
