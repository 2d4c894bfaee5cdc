/**
 * Builds `miniprogram/miniprogram_npm/` with WeChat's own npm builder — miniprogram-ci's
 * `packNpmManually`, the code behind DevTools' 构建 npm — for every entry of project.config.json's
 * `packNpmRelationList`, so a fresh clone opened in DevTools after `npm ci` runs without a manual
 * Build npm. Run by the root's `prepare` script (so by `npm ci` and `npm install`) and by
 * `npm run build:miniprogram-npm`; offline, in seconds.
 *
 * The builder packs what it finds in `node_modules/` beside the Mini Program's package.json
 * (it globs `node_modules/**\/package.json` there and keeps what `dependencies` name), so that folder
 * is filled first, without the registry:
 * - a registry package (spark-md5) is copied from the root install, whose version must be the one
 *   miniprogram/package.json pins (the root's lockfile is the one that is installed);
 * - a `file:` package (the contract, `@family-album/contract` → `typings/`) is TypeScript: each
 *   module is transpiled to CommonJS as DevTools' TypeScript plugin would, and the builder then
 *   bundles it like any other package. Built this way, DevTools' own Build npm — should someone
 *   press it — rebuilds the same tree instead of dropping the contract.
 * Both `node_modules/` and `miniprogram_npm/` are generated and git-ignored.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type ts from 'typescript';
import { loadMiniprogramCiOffline } from './loadMiniprogramCi';

// Node's `require`: the Mini Program typings declare WeChat's, which has no `resolve`.
const nodeRequire = createRequire(__filename);
// Loaded when used: a production install (`npm ci --omit=dev`) runs this script without TypeScript.
const typescript = (): typeof ts => nodeRequire('typescript');

export const REPO_ROOT = path.resolve(__dirname, '..');

interface PackNpmRelation {
  packageJsonPath: string;
  miniprogramNpmDistDir: string;
}

interface Manifest {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** project.config.json's `packNpmRelationList`, paths made absolute. */
export function packNpmRelations(projectRoot: string): PackNpmRelation[] {
  const config = readJson<{ setting?: { packNpmManually?: boolean; packNpmRelationList?: PackNpmRelation[] } }>(path.join(projectRoot, 'project.config.json'));
  const relations = config.setting?.packNpmRelationList ?? [];
  if (!config.setting?.packNpmManually || relations.length === 0) throw new Error('project.config.json: setting.packNpmManually and a packNpmRelationList are required');
  return relations.map((r) => ({ packageJsonPath: path.resolve(projectRoot, r.packageJsonPath), miniprogramNpmDistDir: path.resolve(projectRoot, r.miniprogramNpmDistDir) }));
}

/** Every non-test `.ts` module under `sourceDir`, transpiled to a CommonJS `.js` beside where it was. */
export function transpileTsPackage(sourceDir: string, targetDir: string, compilerOptions: ts.CompilerOptions): string[] {
  const written: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(sourceDir, relative), { withFileTypes: true })) {
      const rel = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(rel);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
        const source = readFileSync(path.join(sourceDir, rel), 'utf8');
        const js = typescript().transpileModule(source, { compilerOptions, fileName: rel }).outputText;
        const target = path.join(targetDir, rel.replace(/\.ts$/, '.js'));
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, js);
        written.push(rel);
      }
    }
  };
  walk('');
  return written;
}

/**
 * One CommonJS module per file, types erased, as DevTools' TypeScript plugin emits — but at ES2019:
 * the npm builder parses packages with acorn's default (ES2019), and a module it cannot parse
 * (`??`, `?.`) is left out of the bundle as an outside `require` that fails on the phone.
 */
function packageCompilerOptions(): ts.CompilerOptions {
  const { ModuleKind, ScriptTarget } = typescript();
  return { target: ScriptTarget.ES2019, module: ModuleKind.CommonJS, esModuleInterop: true, isolatedModules: true, sourceMap: false, declaration: false };
}

/** What the builder writes at the end of a bundle: the `require`s it left for outside the package. */
export function outsideDependencies(bundle: string): string[] | undefined {
  const m = /\/\/miniprogram-npm-outsideDeps=(\[.*\])\s*$/m.exec(bundle);
  return m ? (JSON.parse(m[1]) as string[]) : undefined;
}

/**
 * Fills `<manifestDir>/node_modules` with the manifest's dependencies (and theirs), from the root
 * install and local `file:` packages; returns the names placed.
 */
export function populateNodeModules(manifestPath: string, installRoot: string): string[] {
  const manifestDir = path.dirname(manifestPath);
  const nodeModules = path.join(manifestDir, 'node_modules');
  rmSync(nodeModules, { recursive: true, force: true });
  const placed: string[] = [];
  const compilerOptions = packageCompilerOptions();

  const place = (name: string, spec: string, resolveFrom: string) => {
    if (placed.includes(name)) return;
    const target = path.join(nodeModules, name);
    if (spec.startsWith('file:')) {
      const sourceDir = path.resolve(manifestDir, spec.slice('file:'.length));
      if (transpileTsPackage(sourceDir, target, compilerOptions).length === 0) throw new Error(`${name}: no TypeScript module in ${sourceDir}`);
      if (!existsSync(path.join(target, 'index.js'))) throw new Error(`${name}: ${sourceDir} has no index.ts to be the package's entry`);
      writeFileSync(path.join(target, 'package.json'), `${JSON.stringify({ name, version: '0.0.0', private: true, main: 'index.js' }, null, 2)}\n`);
      placed.push(name);
      return;
    }
    let installed: string;
    try {
      installed = nodeRequire.resolve(`${name}/package.json`, { paths: [resolveFrom] });
    } catch {
      throw new Error(`${name}@${spec} is not installed at the root: add it to the root package.json (the Mini Program's packages come from the root install)`);
    }
    const manifest = readJson<Manifest>(installed);
    if (manifest.version !== spec) throw new Error(`${name}: miniprogram/package.json pins ${spec}, the root install has ${manifest.version}; make them the same`);
    cpSync(path.dirname(installed), target, { recursive: true, dereference: true, filter: (src) => !src.slice(path.dirname(installed).length).includes(`${path.sep}node_modules`) });
    placed.push(name);
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
      const dependencyManifest = readJson<Manifest>(nodeRequire.resolve(`${dependency}/package.json`, { paths: [path.dirname(installed)] }));
      place(dependency, dependencyManifest.version ?? range, path.dirname(installed));
    }
  };

  for (const [name, spec] of Object.entries(readJson<Manifest>(manifestPath).dependencies ?? {})) place(name, spec, installRoot);
  return placed;
}

/** Builds every relation's miniprogram_npm under `projectRoot`, taking registry packages from the install at `installRoot`. */
export async function buildMiniprogramNpm(projectRoot: string = REPO_ROOT, installRoot: string = projectRoot): Promise<{ packages: string[]; ms: number }> {
  const startedAt = Date.now();
  const { ci, refusedUrls } = loadMiniprogramCiOffline();
  const before = refusedUrls.length;
  const packages: string[] = [];
  for (const relation of packNpmRelations(projectRoot)) {
    const placed = populateNodeModules(relation.packageJsonPath, installRoot);
    const dist = path.join(relation.miniprogramNpmDistDir, 'miniprogram_npm');
    rmSync(dist, { recursive: true, force: true });
    const result = await ci.packNpmManually({ packageJsonPath: relation.packageJsonPath, miniprogramNpmDistDir: relation.miniprogramNpmDistDir });
    if (result.warnList.length > 0) throw new Error(`packNpmManually: ${result.warnList.map((w) => `${w.jsPath ?? ''} ${w.msg}`).join('; ')}`);
    for (const name of placed) {
      const bundle = path.join(dist, name, 'index.js');
      if (!existsSync(bundle)) throw new Error(`packNpmManually built no ${name} in ${dist}`);
      // A module the builder could not parse stays behind as an outside require: fail here, not on a phone.
      const outside = outsideDependencies(readFileSync(bundle, 'utf8'));
      if (outside === undefined || outside.length > 0) throw new Error(`${name}: the bundle requires ${outside ? outside.join(', ') : 'something unknown'} from outside itself`);
    }
    packages.push(...placed);
  }
  if (refusedUrls.length > before) throw new Error(`packNpmManually tried the network: ${refusedUrls.slice(before).join(', ')}`);
  return { packages, ms: Date.now() - startedAt };
}

function isInstalled(name: string): boolean {
  try {
    nodeRequire.resolve(name);
    return true;
  } catch {
    return false;
  }
}

if (nodeRequire.main === module) {
  // `npm ci --omit=dev` (a server install) has no builder and no Mini Program to build.
  if (!isInstalled('miniprogram-ci') || !isInstalled('typescript')) {
    console.log('miniprogram_npm: skipped, miniprogram-ci is not installed (a production install)');
  } else {
    buildMiniprogramNpm().then(
      ({ packages, ms }) => console.log(`miniprogram_npm: built ${packages.join(', ')} with miniprogram-ci's packNpmManually in ${ms} ms`),
      (err: unknown) => {
        console.error(`miniprogram_npm: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
      },
    );
  }
}
