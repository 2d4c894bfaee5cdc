import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const MINIPROGRAM_ROOT = join(REPO_ROOT, 'miniprogram');

/** Folders DevTools fills itself (npm build output) or never bundles as our sources. */
const SKIPPED_DIRS = new Set(['node_modules', 'miniprogram_npm']);

/** Files under `root` whose names end with `suffix`, as paths relative to `root`, sorted. */
export function miniprogramFiles(suffix: string, root = MINIPROGRAM_ROOT): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (entry.name.endsWith(suffix)) {
        found.push(relative(root, path).split('\\').join('/'));
      }
    }
  };
  walk(root);
  return found.sort();
}
