import { CancelledError } from './cancelToken';
import type { CancelToken } from './types';

export type Task<T> = (cancel: CancelToken | undefined) => Promise<T>;

export interface TaskQueue {
  /**
   * Runs `task` when a slot is free; settles with its result. Cancelled before starting → `CancelledError`.
   * Waiting tasks start by `priority` (higher first; default 0), in the order they were added within one.
   */
  add<T>(task: Task<T>, priority?: number): Promise<T>;
  readonly running: number;
  readonly waiting: number;
}

/**
 * A bounded pool: at most `concurrency` tasks run at once, the rest wait in order (WeChat caps
 * network tasks at 10 in all, so uploads must leave room for API calls). Each task receives the
 * queue's cancel token to wire into whatever it does; once it is cancelled, waiting tasks never start.
 * Results keep their order because each caller holds its own promise: `Promise.all(items.map(add))`.
 */
export function createTaskQueue(options: { concurrency: number; cancel?: CancelToken }): TaskQueue {
  const concurrency = Math.max(1, Math.floor(options.concurrency) || 1);
  const { cancel } = options;
  const queue: Array<{ start: () => void; priority: number }> = [];
  let running = 0;

  const pump = () => {
    while (running < concurrency && queue.length > 0) queue.shift()!.start();
  };

  cancel?.onCancel(() => {
    // Waiting tasks are rejected where they stand; running ones are told through the token.
    for (const waiting of queue.splice(0)) waiting.start();
  });

  return {
    add<T>(task: Task<T>, priority = 0): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          if (cancel?.cancelled) {
            reject(new CancelledError());
            return;
          }
          running++;
          let result: Promise<T>;
          try {
            result = task(cancel);
          } catch (error) {
            result = Promise.reject(error);
          }
          result.then(resolve, reject).finally(() => {
            running--;
            pump();
          });
        };
        // Behind every waiting task of the same or a higher priority.
        const behind = queue.findIndex((waiting) => waiting.priority < priority);
        queue.splice(behind === -1 ? queue.length : behind, 0, { start, priority });
        pump();
      });
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}
