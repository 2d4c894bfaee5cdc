import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MINIPROGRAM_ROOT, REPO_ROOT } from './support/miniprogramFiles';

/** DevTools only transpiles TypeScript, so this is where type errors in the Mini Program are caught. */
test('the Mini Program type-checks under its own tsconfig (miniprogram-api-typings, ES2020, no Node)', () => {
  const tsc = createRequire(join(REPO_ROOT, 'package.json')).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(MINIPROGRAM_ROOT, 'tsconfig.json')], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(run.error).toBeUndefined();
  expect(run.stdout + run.stderr).toBe('');
  expect(run.status).toBe(0);
}, 60_000);
