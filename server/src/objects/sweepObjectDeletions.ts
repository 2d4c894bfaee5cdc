import type { Store } from '../store/Store';
import { finishObjectDeletion, type ObjectDeletionDeps } from './finishObjectDeletion';

/**
 * How old a `deleting` mark must be before the sweep takes the deletion over. Far longer than the
 * request that set it needs for its own OSS delete (the OSS client gives up after 10 s), so the
 * sweep only meets deletions whose process died or whose OSS delete failed.
 */
export const DELETION_SWEEP_GRACE_MS = 10 * 60 * 1000;
const PAGE = 100;

export interface DeletionSweepDeps extends ObjectDeletionDeps {
  store: Pick<Store, 'forgetDeletedObject' | 'listDeletingObjects' | 'claimDeletingObject'>;
  now: () => Date;
  graceMs?: number;
}

/**
 * Finishes deletions left half done: object rows marked `deleting` longer than the grace period
 * ago (the process died between the mark and the forget, or OSS failed). Such a row is safe to
 * delete and forget at any time: no photo references it and no commit may land on it while it is
 * marked (Store.deletePhoto). What must not happen is an OSS delete landing after the row was
 * forgotten and the same bytes uploaded and recorded again: that would delete the new photo's
 * object. So each row is claimed first (its mark moved to now, by one sweeper only), and only rows
 * whose mark is older than any request's own OSS delete can take are claimed; the claim and the
 * delete then run back to back. Answers how many were finished and how many are left for the next
 * sweep (OSS failed).
 */
export async function sweepObjectDeletions(deps: DeletionSweepDeps): Promise<{ finished: number; failed: number }> {
  const started = deps.now();
  const markedBefore = new Date(started.getTime() - (deps.graceMs ?? DELETION_SWEEP_GRACE_MS));
  let finished = 0;
  let failed = 0;
  // Keyset pages: a row whose OSS delete failed stays listed, so "the first page again" could loop.
  let afterKey: string | undefined;
  for (;;) {
    const keys = await deps.store.listDeletingObjects(markedBefore, { afterKey, limit: PAGE });
    for (const key of keys) {
      if (!(await deps.store.claimDeletingObject(key, markedBefore, deps.now()))) continue;
      if (await finishObjectDeletion(deps, key)) finished += 1;
      else failed += 1;
    }
    if (keys.length < PAGE) return { finished, failed };
    afterKey = keys[keys.length - 1];
  }
}
