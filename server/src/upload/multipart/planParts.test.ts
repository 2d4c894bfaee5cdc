import { expectedPartBytes, planParts } from './planParts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('planParts', () => {
  test.each([
    [1, 4 * MiB, 1],
    [4 * MiB, 4 * MiB, 1],
    [4 * MiB + 1, 4 * MiB, 2],
    [200 * MiB, 4 * MiB, 50],
    [5 * GiB, 4 * MiB, 1280],
    // 10,000 parts of 4 MiB hold 39 GiB; bigger files get bigger whole-MiB parts.
    [50 * GiB, 6 * MiB, 8534],
  ])('%d bytes: parts of %d, %d of them', (size, partSize, partCount) => {
    const plan = planParts(size);
    expect(plan).toEqual({ partSize, partCount });
    expect(plan.partCount).toBeLessThanOrEqual(10_000);
  });

  test('a preferred size below OSS minimum of 100 KB is raised to it', () => {
    expect(planParts(1 * MiB, 1000)).toEqual({ partSize: 100 * 1024, partCount: 11 });
  });

  test('every part but the last is whole; the last holds the rest', () => {
    const size = 10 * MiB + 123;
    const plan = planParts(size);
    const parts = Array.from({ length: plan.partCount }, (_, i) => expectedPartBytes(plan, size, i + 1));
    expect(parts).toEqual([4 * MiB, 4 * MiB, 2 * MiB + 123]);
  });

  test.each([0, -1, 1.5, Number.NaN])('refuses size %p', (size) => {
    expect(() => planParts(size)).toThrow(RangeError);
  });
});
