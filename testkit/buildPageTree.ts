import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileString, type Importer } from 'sass';

export const MINIPROGRAM_ROOT = join(__dirname, '..', 'miniprogram');

export interface PageTree {
  /** The root to pass to `simulate.load` as `rootPath` (always the same one: simulate caches wcc output per root). */
  rootPath: string;
  /** Absolute path of a page in the tree, without extension, for `simulate.load`. */
  pagePath(page: string): string;
  remove(): void;
}

/**
 * Under jsdom, sass takes itself for a browser build and will not touch the file system, so
 * sources (and any `@use`d partials) are read here and handed over as strings.
 */
const nodeFileImporter: Importer = {
  canonicalize(url, context) {
    const base = context.containingUrl ?? pathToFileURL(MINIPROGRAM_ROOT + '/');
    const resolved = new URL(url, base);
    if (resolved.protocol !== 'file:') return null;
    const path = fileURLToPath(resolved);
    const partial = join(dirname(path), `_${basename(path)}`);
    const found = [path, `${path}.scss`, `${partial}.scss`, partial].find((p) => existsSync(p));
    // The global URL (jsdom's, under a page test): sass checks the answer against it.
    return found ? new URL(pathToFileURL(found).href) : null;
  },
  load: (url) => ({ contents: readFileSync(fileURLToPath(url), 'utf8'), syntax: 'scss' }),
};

function compileScss(path: string): string {
  return compileString(readFileSync(path, 'utf8'), { url: pathToFileURL(path), importer: nodeFileImporter }).css;
}

/**
 * A scratch copy of the Mini Program that miniprogram-simulate can load: it reads `.wxss`, not
 * `.scss`, so styles are compiled here (as the DevTools sass plugin would), and it `require`s the
 * page's `.js`, so each page gets a one-line shim that loads the real TypeScript source through
 * Jest. The source tree itself is never written to.
 */
export function buildPageTree(): PageTree {
  const rootPath = mkdtempSync(join(tmpdir(), 'mp-page-'));
  try {
    fillPageTree(rootPath);
  } catch (err) {
    rmSync(rootPath, { recursive: true, force: true });
    throw err;
  }
  return {
    rootPath,
    pagePath: (page) => join(rootPath, page),
    remove: () => rmSync(rootPath, { recursive: true, force: true }),
  };
}

function fillPageTree(rootPath: string): void {
  cpSync(MINIPROGRAM_ROOT, rootPath, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|miniprogram_npm)([\\/]|$)/.test(src) && !src.endsWith('.ts'),
  });
  const { pages } = JSON.parse(readFileSync(join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as { pages: string[] };
  for (const style of ['app', ...pages]) {
    writeFileSync(join(rootPath, `${style}.wxss`), compileScss(join(MINIPROGRAM_ROOT, `${style}.scss`)));
  }
  for (const page of pages) {
    writeFileSync(join(rootPath, `${page}.js`), `module.exports = require(${JSON.stringify(join(MINIPROGRAM_ROOT, `${page}.ts`))});\n`);
  }
}
