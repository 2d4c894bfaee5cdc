/**
 * Bytes of a multipart upload to show: the parts OSS acknowledged, plus an estimate for the parts in
 * flight. `wx.request` reports no upload progress (RequestTask has headers and chunk events only), so
 * a part in flight is credited at the speed acknowledged parts went, capped below its size so that
 * only an acknowledgement completes it. Before any part is acknowledged nothing is estimated.
 * Pure: the caller passes the clock.
 */
export interface PartProgress {
  /** A part went on the wire at `atMs`. */
  started(partNumber: number, bytes: number, atMs: number): void;
  /** OSS acknowledged it. */
  acknowledged(partNumber: number, atMs: number): void;
  /** It failed: it will start again (or never); its estimate is dropped. */
  stopped(partNumber: number): void;
  /** Parts OSS held before this run (resume): counted as acknowledged, without a speed. */
  alreadyHeld(bytes: number): void;
  /** Acknowledged bytes plus the in-flight estimate at `nowMs`. */
  bytesAt(nowMs: number): number;
  readonly acknowledgedBytes: number;
}

/** A part in flight is credited at most this share of its bytes until OSS answers. */
export const IN_FLIGHT_CAP = 0.9;
/** Weight of the newest acknowledged part in the speed estimate. */
const SMOOTHING = 0.3;

export function createPartProgress(): PartProgress {
  const inFlight = new Map<number, { bytes: number; atMs: number }>();
  let acknowledgedBytes = 0;
  /** Bytes per ms of one part's connection; undefined until a part is acknowledged. */
  let speed: number | undefined;

  return {
    started(partNumber, bytes, atMs) {
      inFlight.set(partNumber, { bytes, atMs });
    },
    acknowledged(partNumber, atMs) {
      const part = inFlight.get(partNumber);
      if (!part) return;
      inFlight.delete(partNumber);
      acknowledgedBytes += part.bytes;
      const elapsed = Math.max(1, atMs - part.atMs);
      const observed = part.bytes / elapsed;
      speed = speed === undefined ? observed : speed + SMOOTHING * (observed - speed);
    },
    stopped(partNumber) {
      inFlight.delete(partNumber);
    },
    alreadyHeld(bytes) {
      acknowledgedBytes += bytes;
    },
    bytesAt(nowMs) {
      let estimate = 0;
      if (speed !== undefined) {
        for (const part of inFlight.values()) estimate += Math.min(part.bytes * IN_FLIGHT_CAP, Math.max(0, nowMs - part.atMs) * speed);
      }
      return Math.floor(acknowledgedBytes + estimate);
    },
    get acknowledgedBytes() {
      return acknowledgedBytes;
    },
  };
}
