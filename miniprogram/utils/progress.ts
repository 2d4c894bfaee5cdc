import type { BatchProgress, FileProgress, UploadState } from './types';

/**
 * Progress is folded from raw byte counts here and nowhere else, so every quirk is handled once:
 * Android has been seen to jump to 100 % at once, to report after success, and to give a
 * `totalBytesExpectedToSend` of 0 or of the whole multipart body (larger than the file). So bytes
 * are clamped to the file, never go backwards (a retry restarts at 0 on the wire, not on screen),
 * and a file shows 100 % only once it is really done.
 */

const FINAL: ReadonlySet<UploadState> = new Set<UploadState>(['uploaded', 'instant', 'failed', 'cancelled']);

export function isFinalState(state: UploadState): boolean {
  return FINAL.has(state);
}

/** What `UploadTask.onProgressUpdate` reports. */
export interface UploadProgressEvent {
  progress: number;
  totalBytesSent: number;
  totalBytesExpectedToSend: number;
}

/** The file bytes an upload event stands for: the fraction of the request sent, applied to the file's size. */
export function bytesFromUploadEvent(event: UploadProgressEvent, fileBytes: number): number {
  const sent = Number(event.totalBytesSent);
  const expected = Number(event.totalBytesExpectedToSend);
  let fraction = expected > 0 && Number.isFinite(sent) ? sent / expected : Number(event.progress) / 100;
  if (!Number.isFinite(fraction)) fraction = 0;
  return Math.floor(Math.min(1, Math.max(0, fraction)) * fileBytes);
}

function filePercent(bytesSent: number, bytesTotal: number, state: UploadState): number {
  if (state === 'uploaded' || state === 'instant') return 100;
  if (bytesTotal <= 0) return 0;
  const percent = Math.floor((100 * bytesSent) / bytesTotal);
  // 100 means done: bytes all sent but no answer yet (or an answer still to be recorded) is 99.
  return isFinalState(state) ? percent : Math.min(99, percent);
}

function summarise(files: FileProgress[]): BatchProgress {
  let bytesSent = 0;
  let bytesTotal = 0;
  let bytesSettled = 0;
  for (const f of files) {
    bytesSent += f.bytesSent;
    bytesTotal += f.bytesTotal;
    // The batch bar measures how much of the batch is settled: a failed file is as finished as an uploaded one.
    bytesSettled += isFinalState(f.state) ? f.bytesTotal : f.bytesSent;
  }
  const allFinal = files.every((f) => isFinalState(f.state));
  const percent = allFinal ? 100 : bytesTotal > 0 ? Math.min(99, Math.floor((100 * bytesSettled) / bytesTotal)) : 0;
  return { files, bytesSent, bytesTotal, percent };
}

/** Every file 'waiting' at 0 bytes. */
export function initialProgress(fileSizes: readonly number[]): BatchProgress {
  return summarise(fileSizes.map((size) => ({ state: 'waiting', bytesSent: 0, bytesTotal: Math.max(0, size), percent: 0 })));
}

/** Records `bytesSent` for file `index`: clamped to the file, never less than before, ignored once final. */
export function withBytes(progress: BatchProgress, index: number, bytesSent: number): BatchProgress {
  const file = progress.files[index];
  if (!file || isFinalState(file.state)) return progress;
  const clamped = Math.min(file.bytesTotal, Math.max(file.bytesSent, Math.floor(Number(bytesSent) || 0)));
  if (clamped === file.bytesSent) return progress;
  const files = progress.files.slice();
  files[index] = { ...file, bytesSent: clamped, percent: filePercent(clamped, file.bytesTotal, file.state) };
  return summarise(files);
}

/**
 * Moves file `index` to `state`. A final state is never left (a late event cannot revive a
 * cancelled file); uploaded and instant files count all their bytes as sent.
 */
export function withState(progress: BatchProgress, index: number, state: UploadState): BatchProgress {
  const file = progress.files[index];
  if (!file || isFinalState(file.state) || file.state === state) return progress;
  const bytesSent = state === 'uploaded' || state === 'instant' ? file.bytesTotal : file.bytesSent;
  const files = progress.files.slice();
  files[index] = { state, bytesSent, bytesTotal: file.bytesTotal, percent: filePercent(bytesSent, file.bytesTotal, state) };
  return summarise(files);
}

/**
 * Throttles the page's callback: `setData` is costly on the Mini Program bridge and Android fires
 * progress many times a second, so byte updates go out at most every `intervalMs` of the injected
 * clock; state changes and the end (`force`) always go out at once.
 */
export function createProgressReporter(options: {
  onProgress?: (progress: BatchProgress) => void;
  now: () => number;
  intervalMs?: number;
}): (progress: BatchProgress, force?: boolean) => void {
  const intervalMs = options.intervalMs ?? 100;
  let lastAt: number | undefined;
  let last: BatchProgress | undefined;
  return (progress, force = false) => {
    if (!options.onProgress || progress === last) return;
    const at = options.now();
    if (!force && lastAt !== undefined && at - lastAt < intervalMs) return;
    lastAt = at;
    last = progress;
    options.onProgress(progress);
  };
}
