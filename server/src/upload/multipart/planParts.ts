import { MULTIPART } from '../../../../typings';

const MiB = 1024 * 1024;

export interface PartPlan {
  partSize: number;
  partCount: number;
}

/**
 * Parts of `preferredPartBytes`, grown in whole MiB only when a file would need more than OSS's
 * 10,000 parts. Every part but the last has exactly `partSize` bytes.
 */
export function planParts(sizeBytes: number, preferredPartBytes: number = MULTIPART.defaultPartBytes): PartPlan {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0) throw new RangeError(`planParts: size must be a positive integer, got ${sizeBytes}`);
  const smallestFitting = Math.ceil(sizeBytes / MULTIPART.maxParts);
  const preferred = Math.max(preferredPartBytes, MULTIPART.minPartBytes);
  const partSize = smallestFitting > preferred ? Math.ceil(smallestFitting / MiB) * MiB : preferred;
  return { partSize, partCount: Math.ceil(sizeBytes / partSize) };
}

/** The bytes part `partNumber` (1-based) must hold under a plan. */
export function expectedPartBytes(plan: PartPlan, sizeBytes: number, partNumber: number): number {
  return partNumber < plan.partCount ? plan.partSize : sizeBytes - plan.partSize * (plan.partCount - 1);
}
