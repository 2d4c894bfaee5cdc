/**
 * What the bench measures and at which sizes. Sizes and rates are decimal: 1 MB = 1,000,000 bytes.
 * The smoke settings exist only to keep the bench working in the test suite (seconds, not minutes);
 * their figures mean nothing.
 */
export const MB = 1_000_000;

export interface BenchSettings {
  mode: 'full' | 'smoke';
  hashing: {
    fileBytes: number;
    /** Extra fallback runs at these range-read sizes (the figures use computeHash's own default). */
    chunkSweepBytes: number[];
    /** Fresh processes per method; the median speed and the highest memory are reported. */
    repetitions: number;
    memorySampleMs: number;
    /** The fallback's memory target above the process baseline, whatever the file size. */
    memoryTargetBytes: number;
    /** The fallback's speed target, as a fraction of whole-buffer spark-md5's. */
    speedTargetRatio: number;
  };
  upload: {
    /** Phone link: added to every phone request (API and OSS) before it is sent. */
    latencyMs: number;
    bytesPerSecPerConnection: number;
    bytesPerSecTotal: number;
    photos: { count: number; minBytes: number; maxBytes: number };
    videos: { count: number; bytes: number };
    /** Ours must stay within this multiple of the link limit on both albums. */
    limitTargetRatio: number;
    /** Ours must be at least this many times faster than the sequential loop on the photo album. */
    speedupTarget: number;
    /** Re-upload: at most this many API round trips, and no byte to OSS. */
    reuploadMaxRoundTrips: number;
  };
  throughput: { connections: number; durationSec: number; targetRatio: number };
  database: {
    storedPhotos: number;
    seedBatch: number;
    hashesPerCheck: number;
    /** Of those hashes, how many the family already has. */
    knownHashes: number;
    checkSamples: number;
    checkP99TargetMs: number;
    commitItems: number;
    commitSamples: number;
    commitP50TargetMs: number;
    objectBytes: number;
  };
  relay: { files: number; fileBytes: number; concurrency: number };
  /** One multipart upload whose completion (and so its verification) is measured. */
  verify: { fileBytes: number };
  /** One long video over the upload section's phone link. */
  video: {
    bytes: number;
    /** Alone, it must stay within this multiple of the link limit. */
    limitTargetRatio: number;
    /** The link goes down after this fraction of the video's bytes… */
    cutAtFraction: number;
    /** …and comes back this much later. */
    linkDownMs: number;
    /** The app is killed once OSS has this fraction of the bytes. */
    restartAtFraction: number;
    /** The phone's memory may exceed parts in flight × part size by this much. */
    memoryOverheadBytes: number;
  };
}

export function benchSettings(mode: 'full' | 'smoke'): BenchSettings {
  const smoke = mode === 'smoke';
  return {
    mode,
    hashing: {
      fileBytes: smoke ? 1 * MB : 256 * MB,
      chunkSweepBytes: smoke ? [] : [256 * 1024, 1024 * 1024, 4 * 1024 * 1024],
      repetitions: smoke ? 1 : 5,
      memorySampleMs: 2,
      memoryTargetBytes: 64 * MB,
      speedTargetRatio: 0.9,
    },
    upload: {
      latencyMs: 60,
      bytesPerSecPerConnection: 2.5 * MB,
      bytesPerSecTotal: 10 * MB,
      photos: smoke ? { count: 3, minBytes: 0.1 * MB, maxBytes: 0.3 * MB } : { count: 30, minBytes: 2 * MB, maxBytes: 5 * MB },
      videos: smoke ? { count: 1, bytes: 0.5 * MB } : { count: 2, bytes: 50 * MB },
      limitTargetRatio: 1.2,
      speedupTarget: 2,
      reuploadMaxRoundTrips: 2,
    },
    throughput: { connections: smoke ? 8 : 64, durationSec: smoke ? 1 : 10, targetRatio: 0.6 },
    database: {
      storedPhotos: smoke ? 1_000 : 100_000,
      seedBatch: 5_000,
      hashesPerCheck: smoke ? 100 : 1_000,
      knownHashes: smoke ? 50 : 500,
      checkSamples: smoke ? 5 : 200,
      checkP99TargetMs: 25,
      commitItems: smoke ? 10 : 100,
      commitSamples: smoke ? 3 : 20,
      commitP50TargetMs: 150,
      objectBytes: 1024,
    },
    relay: smoke ? { files: 2, fileBytes: 0.5 * MB, concurrency: 2 } : { files: 20, fileBytes: 5 * MB, concurrency: 4 },
    verify: { fileBytes: smoke ? 5 * MB : 200 * MB },
    // Smoke: just over the multipart threshold (8 MiB), three parts.
    video: { bytes: smoke ? 9 * MB : 200 * MB, limitTargetRatio: 1.2, cutAtFraction: 0.6, linkDownMs: 500, restartAtFraction: 0.5, memoryOverheadBytes: 16 * MB },
  };
}
