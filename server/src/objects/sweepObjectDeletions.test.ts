import { DELETION_SWEEP_GRACE_MS, sweepObjectDeletions } from './sweepObjectDeletions';

/** An in-memory stand-in for the three store methods the sweep uses: marks by key, in key order. */
function memoryStore(marks: Map<string, number>) {
  const calls: string[] = [];
  return {
    calls,
    async listDeletingObjects(markedBefore: Date, { afterKey, limit }: { afterKey?: string; limit: number }) {
      calls.push(`list after ${afterKey ?? '-'}`);
      return [...marks.entries()]
        .filter(([key, at]) => at < markedBefore.getTime() && key > (afterKey ?? ''))
        .map(([key]) => key)
        .sort()
        .slice(0, limit);
    },
    async claimDeletingObject(key: string, markedBefore: Date, now: Date) {
      const at = marks.get(key);
      if (at === undefined || at >= markedBefore.getTime()) return false;
      marks.set(key, now.getTime());
      return true;
    },
    async forgetDeletedObject(key: string) {
      calls.push(`forget ${key}`);
      marks.delete(key);
    },
  };
}

const silent = { warn: () => {} };
const now = () => new Date(DELETION_SWEEP_GRACE_MS * 10);
const key = (i: number) => `families/1/${String(i).padStart(32, '0')}.jpg`;

test('every page is visited once even when every OSS delete fails: the rows stay, the sweep ends', async () => {
  const marks = new Map(Array.from({ length: 250 }, (_, i) => [key(i), 0] as [string, number]));
  const store = memoryStore(marks);
  const deleted: string[] = [];
  const result = await sweepObjectDeletions({
    store,
    deleteObject: async (k) => {
      deleted.push(k);
      throw new Error('503 ServiceUnavailable');
    },
    logger: silent,
    now,
  });
  expect(result).toEqual({ finished: 0, failed: 250 });
  expect(deleted).toEqual([...marks.keys()].sort());
  expect(store.calls).toEqual([`list after -`, `list after ${key(99)}`, `list after ${key(199)}`]);
  expect(marks.size).toBe(250);
});

test('the OSS delete comes before the forget; a row another sweeper claimed, or marked within the grace period, is left alone', async () => {
  const recent = now().getTime() - DELETION_SWEEP_GRACE_MS + 1;
  const marks = new Map([
    [key(1), 0],
    [key(2), recent],
    [key(3), 0],
  ]);
  const store = memoryStore(marks);
  const steps: string[] = [];
  const claim = store.claimDeletingObject;
  store.claimDeletingObject = async (k, before, at) => (k === key(3) ? false : claim(k, before, at));
  const result = await sweepObjectDeletions({
    store: {
      ...store,
      async forgetDeletedObject(k) {
        steps.push(`forget ${k}`);
        await store.forgetDeletedObject(k);
      },
    },
    deleteObject: async (k) => void steps.push(`delete ${k}`),
    logger: silent,
    now,
  });
  expect(result).toEqual({ finished: 1, failed: 0 });
  expect(steps).toEqual([`delete ${key(1)}`, `forget ${key(1)}`]);
  expect([...marks.keys()]).toEqual([key(2), key(3)]);
});
