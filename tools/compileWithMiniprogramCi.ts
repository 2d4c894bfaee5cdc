/**
 * Compiles the Mini Program with WeChat's own compiler — miniprogram-ci's `getCompiledResult`, what
 * an upload from DevTools packs — offline: `ciProjectOffline` supplies the project attributes
 * instead of asking WeChat for them, and `loadMiniprogramCiOffline` refuses any other call.
 * project.config.json's settings apply as DevTools applies them (`useProjectConfig`: the TypeScript
 * and Sass compiler plugins, es6, enhance, minification, packOptions).
 *
 * It compiles a scratch copy — project.config.json, the Mini Program without its generated
 * node_modules/ and miniprogram_npm/, and the local packages it names — after building its
 * miniprogram_npm there, so the result is what a fresh clone gives after `npm ci`, never a stale
 * build, and the working tree is not touched.
 *
 * `node --import tsx tools/compileWithMiniprogramCi.ts <outDir>` writes the package to `outDir` and
 * prints one JSON line `{ files, bytes, refusedUrls }`.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildMiniprogramNpm, packNpmRelations, REPO_ROOT } from './buildMiniprogramNpm';
import { ciProjectOffline, loadMiniprogramCiOffline } from './loadMiniprogramCi';

const GENERATED = /[\\/](node_modules|miniprogram_npm)([\\/]|$)/;

/** The files a fresh clone's compile sees: the project config, the Mini Program's sources, its local packages. */
function copyProject(repoRoot: string, scratch: string): void {
  const config = JSON.parse(readFileSync(path.join(repoRoot, 'project.config.json'), 'utf8')) as { miniprogramRoot?: string };
  cpSync(path.join(repoRoot, 'project.config.json'), path.join(scratch, 'project.config.json'));
  const miniprogramRoot = config.miniprogramRoot ?? '';
  cpSync(path.join(repoRoot, miniprogramRoot), path.join(scratch, miniprogramRoot), { recursive: true, filter: (src) => !GENERATED.test(src.slice(repoRoot.length)) });
  for (const relation of packNpmRelations(repoRoot)) {
    const manifestDir = path.dirname(relation.packageJsonPath);
    const { dependencies = {} } = JSON.parse(readFileSync(relation.packageJsonPath, 'utf8')) as { dependencies?: Record<string, string> };
    for (const spec of Object.values(dependencies)) {
      if (!spec.startsWith('file:')) continue;
      const local = path.resolve(manifestDir, spec.slice('file:'.length));
      cpSync(local, path.join(scratch, path.relative(repoRoot, local)), { recursive: true, filter: (src) => !GENERATED.test(src.slice(local.length)) });
    }
  }
}

export interface CompiledPackage {
  /** Path inside the package → content, as WeChat would receive it. */
  files: Record<string, string | Buffer>;
  /** What miniprogram-ci tried to fetch and was refused. */
  refusedUrls: string[];
}

export async function compileWithMiniprogramCi(repoRoot: string = REPO_ROOT): Promise<CompiledPackage> {
  const { ci, refusedUrls } = loadMiniprogramCiOffline();
  const before = refusedUrls.length;
  const scratch = mkdtempSync(path.join(tmpdir(), 'mp-ci-'));
  try {
    copyProject(repoRoot, scratch);
    await buildMiniprogramNpm(scratch, repoRoot);
    // `version` is an upload's; the type asks for it, the compile ignores it.
    const files = await ci.getCompiledResult({ project: ciProjectOffline(ci, scratch), version: '0.0.0', setting: { useProjectConfig: true } });
    return { files, refusedUrls: refusedUrls.slice(before) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (createRequire(__filename).main === module) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: node --import tsx tools/compileWithMiniprogramCi.ts <outDir>');
    process.exit(2);
  }
  compileWithMiniprogramCi().then(
    ({ files, refusedUrls }) => {
      let bytes = 0;
      for (const [file, content] of Object.entries(files)) {
        const target = path.join(outDir, file);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, content);
        bytes += Buffer.byteLength(content);
      }
      console.log(JSON.stringify({ files: Object.keys(files).length, bytes, refusedUrls }));
      // The compiler keeps a worker process open for the next compile: there is none.
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
