import type { AppDeps } from './AppDeps';

/**
 * Presigns avatar keys for one answer, each distinct key once (a page of photos shows the same
 * few uploaders again and again). Null stays null: no avatar chosen yet.
 */
export function presignAvatars(deps: Pick<AppDeps, 'ossClient' | 'config'>): (key: string | null) => Promise<string | null> {
  const urls = new Map<string, Promise<string>>();
  return async (key) => {
    if (key === null) return null;
    let url = urls.get(key);
    if (!url) {
      url = deps.ossClient.presignGet(key, deps.config.limits.viewUrlTtlSec).then((signed) => signed.url);
      urls.set(key, url);
    }
    return url;
  };
}
