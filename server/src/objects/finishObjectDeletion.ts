import type { Logger } from 'pino';
import type { Store } from '../store/Store';

export interface ObjectDeletionDeps {
  store: Pick<Store, 'forgetDeletedObject'>;
  /** OSS DeleteObject; a key already gone (404) is success. */
  deleteObject: (key: string) => Promise<void>;
  logger: Pick<Logger, 'warn'>;
}

/**
 * The two steps after an object row is marked `deleting`, shared by `DELETE /photos/:id` and the
 * deletion sweep: delete the OSS object, then forget the row. Answers false when OSS refused or
 * failed: the row then stays `deleting` and the sweep tries again later. Forgetting it anyway would
 * leak the object (storage that is paid for, bytes the family deleted) with nothing left that
 * points at it; the cost of keeping it is that those exact bytes cannot be recorded again until a
 * sweep finishes the deletion. Store errors are thrown: the row stays for the sweep likewise.
 */
export async function finishObjectDeletion(deps: ObjectDeletionDeps, objectKey: string): Promise<boolean> {
  try {
    await deps.deleteObject(objectKey);
  } catch (err) {
    deps.logger.warn({ err: String(err), key: objectKey }, 'object not deleted from OSS; the deletion sweep retries it');
    return false;
  }
  await deps.store.forgetDeletedObject(objectKey);
  return true;
}
