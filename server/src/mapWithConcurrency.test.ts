import { mapWithConcurrency } from './mapWithConcurrency';

test('never more than the limit in flight, results in input order', async () => {
  let inFlight = 0;
  let peak = 0;
  const results = await mapWithConcurrency([50, 10, 30, 0, 20, 5, 40], 3, async (delayMs, index) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, delayMs));
    inFlight -= 1;
    return index * 2;
  });
  expect(peak).toBe(3);
  expect(results).toEqual([0, 2, 4, 6, 8, 10, 12]);
});

test('an empty list maps to an empty list', async () => {
  expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
});
