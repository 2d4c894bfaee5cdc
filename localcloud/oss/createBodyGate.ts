import { Transform } from 'node:stream';
import type { BandwidthThrottle } from './createBandwidthThrottle';

export interface BodyGateOptions {
  /** The throttles a chunk must pass, with the rate each applies now (read per chunk: faults change at run time). */
  limits: () => Array<{ throttle: BandwidthThrottle; bytesPerSec: number }>;
  /** Once this many body bytes have arrived, `onCut` runs and the body fails; undefined = never. */
  cutAfterBytes?: number;
  /** Destroys the connection (the client sees a socket error). */
  onCut: () => void;
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
 * the chunk that crossed the threshold, so nothing past it is ever stored.
 */
export function createBodyGate(options: BodyGateOptions): Transform {
  let receivedBytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      receivedBytes += chunk.length;
      if (options.cutAfterBytes !== undefined && receivedBytes >= options.cutAfterBytes) {
        options.onCut();
        callback(new ConnectionCutError());
        return;
      }
      const waitMs = Math.max(0, ...options.limits().map(({ throttle, bytesPerSec }) => throttle.reserve(chunk.length, bytesPerSec)));
      if (waitMs >= 1) setTimeout(() => callback(null, chunk), waitMs);
      else callback(null, chunk);
    },
  });
}
