import { CancelledError } from './cancelToken';
import type { CancelToken } from './types';

export interface WxTaskCallbacks<T> {
  /** The task answered: settle with what `decide` returns, or with what it throws. */
  answered(decide: () => T): void;
  /** The task's `fail`: no answer came (network, timeout), or the task was aborted. */
  failed(err: { errMsg?: string } | undefined): void;
  isSettled(): boolean;
}

export interface SettleWxTaskOptions {
  cancel?: CancelToken;
  /** The message when `fail` gives none. */
  fallbackErrMsg: string;
  /** The error for a task that got no answer; `code` is `timeout` or `network_error`. */
  noAnswer(code: 'timeout' | 'network_error', errMsg: string, cause: unknown): Error;
}

/**
 * One `wx` network task (`request`, `uploadFile`) as a promise that settles exactly once: with
 * what its answer decides, with `noAnswer` when it fails, or with `CancelledError` once the token
 * fires. A cancelled task is aborted so its network slot is freed, and settled here because some
 * clients never call `fail` after an abort.
 */
export function settleWxTask<T>(options: SettleWxTaskOptions, start: (callbacks: WxTaskCallbacks<T>) => { abort?(): void } | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (options.cancel?.cancelled) {
      reject(new CancelledError());
      return;
    }
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    const task = start({
      answered: (decide) =>
        settle(() => {
          try {
            resolve(decide());
          } catch (error) {
            reject(error);
          }
        }),
      failed: (err) =>
        settle(() => {
          if (options.cancel?.cancelled) {
            reject(new CancelledError());
            return;
          }
          const errMsg = String(err?.errMsg ?? options.fallbackErrMsg);
          reject(options.noAnswer(/time ?out/i.test(errMsg) ? 'timeout' : 'network_error', errMsg, err));
        }),
      isSettled: () => settled,
    });
    options.cancel?.onCancel(() => {
      if (settled) return;
      task?.abort?.();
      settle(() => reject(new CancelledError()));
    });
  });
}
