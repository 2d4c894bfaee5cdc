import { ClientError } from './clientError';
import type { CancelToken } from './types';

/** The error a cancelled operation settles with; `code` is what results carry. */
export class CancelledError extends ClientError {
  constructor(message = 'the upload was cancelled') {
    super(0, 'cancelled', message, undefined, false);
  }
}

/**
 * A one-way switch: `cancel()` runs each listener once; a listener added after cancelling runs at
 * once, so late subscribers (an upload that starts as the user taps cancel) never miss it.
 */
export function createCancelToken(): CancelToken {
  let cancelled = false;
  let keepsResumable = false;
  let listeners: Array<() => void> = [];
  return {
    get cancelled() {
      return cancelled;
    },
    get keepsResumable() {
      return keepsResumable;
    },
    cancel(options) {
      if (cancelled) return;
      cancelled = true;
      keepsResumable = options?.keepResumable === true;
      const toCall = listeners;
      listeners = [];
      for (const listener of toCall) listener();
    },
    onCancel(listener) {
      if (cancelled) listener();
      else listeners.push(listener);
    },
  };
}

/** Throws `CancelledError` when the token is cancelled; a checkpoint between steps. */
export function throwIfCancelled(token: CancelToken | undefined): void {
  if (token?.cancelled) throw new CancelledError();
}

/** Settles like `promise`, or rejects with `CancelledError` as soon as the token is cancelled. */
export function raceCancel<T>(promise: Promise<T>, token: CancelToken | undefined): Promise<T> {
  if (!token) return promise;
  return new Promise<T>((resolve, reject) => {
    token.onCancel(() => reject(new CancelledError()));
    promise.then(resolve, reject);
  });
}
