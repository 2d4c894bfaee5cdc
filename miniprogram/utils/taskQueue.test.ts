import { CancelledError, createCancelToken } from './cancelToken';
import { createTaskQueue } from './taskQueue';
import { deferred, flush, type Deferred } from '../../testkit/deferred';

describe('createTaskQueue', () => {
  test('never runs more than `concurrency` at once, measured, and keeps result order under out-of-order completion', async () => {
    const queue = createTaskQueue({ concurrency: 3 });
    const gates: Deferred<void>[] = Array.from({ length: 10 }, () => deferred());
    let running = 0;
    let maxRunning = 0;
    const started: number[] = [];
    const all = Promise.all(
      gates.map((gate, i) =>
        queue.add(async () => {
          started.push(i);
          running++;
          maxRunning = Math.max(maxRunning, running);
          await gate.promise;
          running--;
          return `r${i}`;
        }),
      ),
    );
    await flush();
    expect(started).toEqual([0, 1, 2]);
    expect(queue.running).toBe(3);
    expect(queue.waiting).toBe(7);
    // Finish in a scrambled order.
    for (const i of [2, 0, 9, 5, 1, 3, 8, 4, 7, 6]) {
      gates[i].resolve();
      await flush();
      expect(running).toBeLessThanOrEqual(3);
    }
    await expect(all).resolves.toEqual(gates.map((_, i) => `r${i}`));
    expect(maxRunning).toBe(3);
    expect(started.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('a failing task frees its slot and fails alone', async () => {
    const queue = createTaskQueue({ concurrency: 1 });
    const a = queue.add(async () => {
      throw new Error('a failed');
    });
    const b = queue.add(() => {
      throw new Error('b threw synchronously');
    });
    const c = queue.add(async () => 'c');
    await expect(a).rejects.toThrow('a failed');
    await expect(b).rejects.toThrow('b threw synchronously');
    await expect(c).resolves.toBe('c');
    expect(queue.running).toBe(0);
  });

  test('cancel: running tasks get the token, waiting ones never start', async () => {
    const token = createCancelToken();
    const queue = createTaskQueue({ concurrency: 2, cancel: token });
    const started: number[] = [];
    const aborted: number[] = [];
    const results = Array.from({ length: 5 }, (_, i) =>
      queue.add(
        (t) =>
          new Promise<number>((_resolve, reject) => {
            started.push(i);
            t?.onCancel(() => {
              aborted.push(i);
              reject(new CancelledError());
            });
          }),
      ),
    );
    await flush();
    token.cancel();
    const settled = await Promise.allSettled(results);
    expect(started).toEqual([0, 1]);
    expect(aborted).toEqual([0, 1]);
    expect(settled.every((s) => s.status === 'rejected' && s.reason instanceof CancelledError)).toBe(true);
    await expect(queue.add(async () => 1)).rejects.toBeInstanceOf(CancelledError);
    expect(started).toEqual([0, 1]);
  });

  test('waiting tasks start by priority, in order within one; running ones are never displaced', async () => {
    const queue = createTaskQueue({ concurrency: 1 });
    const started: string[] = [];
    const gate = deferred();
    const task = (name: string) => async () => {
      started.push(name);
      if (name === 'running') await gate.promise;
    };
    const all = Promise.all([
      queue.add(task('running')),
      queue.add(task('photo 1')),
      queue.add(task('part 1'), 1),
      queue.add(task('photo 2')),
      queue.add(task('part 2'), 1),
      queue.add(task('urgent'), 2),
    ]);
    await flush();
    expect(started).toEqual(['running']);
    expect(queue.waiting).toBe(5);
    gate.resolve();
    await all;
    expect(started).toEqual(['running', 'urgent', 'part 1', 'part 2', 'photo 1', 'photo 2']);
  });
});
