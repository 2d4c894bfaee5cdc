import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compile as compileSass } from 'sass';
import ts from 'typescript';

export interface CompileOptions {
  /** The Mini Program root (project.config.json's `miniprogramRoot`). */
  sourceRoot: string;
  /** An empty folder to write the compiled tree into. */
  outDir: string;
  /**
   * Exported constants to replace after compiling, by module path without extension:
   * `{ config: { API_BASE_URL: 'http://127.0.0.1:41234' } }` points the app at a test API.
   */
  overrides?: Record<string, Record<string, string | number | boolean>>;
}

export interface AppJson {
  pages: string[];
  entryPagePath?: string;
}

export interface CompiledMiniProgram {
  rootPath: string;
  appJson: AppJson;
  /** The page the app opens at launch. */
  entryPage: string;
}

const SKIPPED_DIRS = new Set(['node_modules', 'miniprogram_npm']);

function walk(dir: string, relative = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const rel = path.join(relative, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...walk(dir, rel));
    } else files.push(rel);
  }
  return files;
}

function compilerOptions(sourceRoot: string): ts.CompilerOptions {
  const configPath = path.join(sourceRoot, 'tsconfig.json');
  const fromConfig = existsSync(configPath)
    ? ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, sourceRoot).options
    : {};
  // DevTools' TypeScript plugin emits one CommonJS module per file, types erased, nothing checked.
  return { ...fromConfig, module: ts.ModuleKind.CommonJS, noEmit: false, declaration: false, sourceMap: false, inlineSourceMap: true, inlineSources: true };
}

function overrideExports(moduleKey: string, js: string, values: Record<string, string | number | boolean>): string {
  const lines = Object.entries(values).map(([name, value]) => {
    if (!new RegExp(`\\bexports\\.${name}\\s*=`).test(js)) throw new Error(`${moduleKey}.ts exports no ${name} to override`);
    return `exports.${name} = ${JSON.stringify(value)};`;
  });
  return `${js}\n// Overridden by the headless automator host:\n${lines.join('\n')}\n`;
}

/**
 * The app's npm dependencies as a phone gets them: the bundles WeChat's builder wrote into
 * `miniprogram_npm/` (`npm ci` builds them, tools/buildMiniprogramNpm.ts), linked under
 * `node_modules/` so Node finds them as WeChat finds `miniprogram_npm/<name>/index.js`.
 */
function linkDependencies(sourceRoot: string, outDir: string): void {
  const manifest = path.join(sourceRoot, 'package.json');
  if (!existsSync(manifest)) return;
  const { dependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(dependencies)) {
    const built = path.join(sourceRoot, 'miniprogram_npm', name);
    if (!existsSync(path.join(built, 'index.js'))) throw new Error(`${name} is not built in ${path.join(sourceRoot, 'miniprogram_npm')}: run \`npm run build:miniprogram-npm\` (\`npm ci\` does)`);
    const link = path.join(outDir, 'node_modules', name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(built, link, 'dir');
  }
}

/**
 * Compiles the Mini Program as WeChat DevTools' compiler plugins do: each `.ts` to a CommonJS
 * `.js` (transpiled only; `tsc --noEmit` is what type-checks), each `.scss` to `.wxss`; WXML, JSON
 * and the rest are copied for miniprogram-simulate and the official `wcc` to read. Tests are left
 * out. Must run before jsdom's globals exist: sass takes a `window` for a browser and stops
 * reading files.
 */
export function compileMiniProgram(options: CompileOptions): CompiledMiniProgram {
  const { sourceRoot, outDir } = options;
  const overrides = { ...options.overrides };
  const tsOptions = compilerOptions(sourceRoot);
  mkdirSync(outDir, { recursive: true });
  for (const rel of walk(sourceRoot)) {
    const source = path.join(sourceRoot, rel);
    const target = path.join(outDir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    if (rel.endsWith('.test.ts') || rel.endsWith('.d.ts')) continue;
    if (rel.endsWith('.ts')) {
      let js = ts.transpileModule(readFileSync(source, 'utf8'), { compilerOptions: tsOptions, fileName: source }).outputText;
      const moduleKey = rel.slice(0, -'.ts'.length).split(path.sep).join('/');
      if (overrides[moduleKey]) {
        js = overrideExports(moduleKey, js, overrides[moduleKey]);
        delete overrides[moduleKey];
      }
      writeFileSync(target.replace(/\.ts$/, '.js'), js);
    } else if (/\.s[ac]ss$/.test(rel)) {
      if (!path.basename(rel).startsWith('_')) writeFileSync(target.replace(/\.s[ac]ss$/, '.wxss'), compileSass(source).css);
    } else copyFileSync(source, target);
  }
  const missing = Object.keys(overrides);
  if (missing.length > 0) throw new Error(`no module ${missing.map((m) => `${m}.ts`).join(', ')} to override`);
  linkDependencies(sourceRoot, outDir);

  const appJson = JSON.parse(readFileSync(path.join(sourceRoot, 'app.json'), 'utf8')) as AppJson;
  if (!Array.isArray(appJson.pages) || appJson.pages.length === 0) throw new Error('app.json lists no pages');
  return { rootPath: outDir, appJson, entryPage: appJson.entryPagePath ?? appJson.pages[0] };
}
