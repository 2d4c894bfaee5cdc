import type { ExistingObject, HashCheckRequest, HashCheckResponse } from '../../typings/api';
import { LIMITS, ROUTES } from '@family-album/contract';
import type { RequestAPI } from './request';
import { withRetry, type RetryOptions } from './retryPolicy';

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Which of these hashes the family already holds (秒传): one request per 1000 distinct hashes,
 * retried on retryable failures. Returns the known objects by hash.
 */
export async function checkHashes(
  hashes: readonly string[],
  options: { requestAPI: RequestAPI; familyId: number; retry: RetryOptions },
): Promise<Map<string, ExistingObject>> {
  const known = new Map<string, ExistingObject>();
  for (const part of chunk([...new Set(hashes)], LIMITS.maxHashesPerCheck)) {
    const body: HashCheckRequest = { family_id: options.familyId, hashes: part };
    const answer = await withRetry(() => options.requestAPI<HashCheckResponse>({ method: 'POST', path: ROUTES.hashCheck, data: body }), options.retry);
    for (const existing of answer?.existing ?? []) if (part.includes(existing.hash)) known.set(existing.hash, existing);
  }
  return known;
}
