import { createPartProgress, IN_FLIGHT_CAP } from './partProgress';

test('acknowledged parts count in full; parts in flight at the speed acknowledged parts went, never to their end', () => {
  const p = createPartProgress();
  p.started(1, 1000, 0);
  p.started(2, 1000, 0);
  // No speed known yet: nothing is guessed.
  expect(p.bytesAt(500)).toBe(0);
  p.acknowledged(1, 1000); // 1 byte/ms
  expect(p.bytesAt(1000)).toBe(1000 + Math.floor(1000 * IN_FLIGHT_CAP));
  p.started(3, 1000, 1000);
  expect(p.bytesAt(1200)).toBe(1000 + 900 + 200);
  p.acknowledged(2, 1200);
  expect(p.acknowledgedBytes).toBe(2000);
});

test('a failed part loses its estimate; parts held before the run count as acknowledged', () => {
  const p = createPartProgress();
  p.alreadyHeld(5000);
  p.started(1, 1000, 0);
  p.acknowledged(1, 100);
  p.started(2, 1000, 100);
  expect(p.bytesAt(200)).toBeGreaterThan(6000);
  p.stopped(2);
  expect(p.bytesAt(200)).toBe(6000);
  // An acknowledgement of a part not in flight (a late answer after a stop) changes nothing.
  p.acknowledged(2, 300);
  expect(p.acknowledgedBytes).toBe(6000);
});
