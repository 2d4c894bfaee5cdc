import { Transform } from 'node:stream';
import type { BandwidthThrottle } from './createBandwidthThrottle';

export interface BodyGateOptions {
  /** The throttles a chunk must pass, with the rate each applies now (read per chunk: faults change at run time). */
  limits: () => Array<{ throttle: BandwidthThrottle; bytesPerSec: number }>;
  /** Once this many body bytes have arrived, `onCut` runs and the body fails; undefined = never. */
  cutAfterBytes?: number;
  /** The link all uploads share, told of each chunk as it arrives: false (the link is down) cuts as `cutAfterBytes` does. */
  carry?: (bytes: number) => boolean;
  /** Destroys the connection (the client sees a socket error). */
  onCut: () => void;
  /** When no body byte arrives for this long (throttle waits excluded), the body fails with `idleError()`; undefined = never. */
  idleTimeoutMs?: number;
  idleError?: () => Error;
}

export class ConnectionCutError extends Error {
  constructor() {
    super('Connection cut by fault injection');
    this.name = 'ConnectionCutError';
  }
}

/**
 * The request body as the handlers see it. Holding a chunk back stops reading from the socket, so
 * TCP backpressure slows the real sender down — a bandwidth cap the client can feel. A cut drops
 * the chunk that crossed the threshold, so nothing past it is ever stored. A body that stalls
 * past the idle timeout fails, so its handler lets go of the temp file and the connection.
 */
export function createBodyGate(options: BodyGateOptions): Transform {
  let receivedBytes = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  const disarm = () => clearTimeout(idleTimer);
  const arm = () => {
    disarm();
    if (options.idleTimeoutMs === undefined) return;
    idleTimer = setTimeout(() => gate.destroy(options.idleError?.() ?? new Error('request body stalled')), options.idleTimeoutMs);
  };
  const gate = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      disarm();
      receivedBytes += chunk.length;
      const cut = (options.cutAfterBytes !== undefined && receivedBytes >= options.cutAfterBytes) || options.carry?.(chunk.length) === false;
      if (cut) {
        options.onCut();
        callback(new ConnectionCutError());
        return;
      }
      const pass = () => {
        // Armed first: the callback may run the next chunk's transform at once, which disarms it while that chunk is held.
        arm();
        callback(null, chunk);
      };
      const waitMs = Math.max(0, ...options.limits().map(({ throttle, bytesPerSec }) => throttle.reserve(chunk.length, bytesPerSec)));
      if (waitMs >= 1) setTimeout(pass, waitMs);
      else pass();
    },
    flush(callback) {
      disarm();
      callback();
    },
  });
  gate.on('close', disarm);
  arm();
  return gate;
}
