/**
 * `npm run e2e:devtools`: the album uploader specs in real WeChat DevTools (Windows or macOS), via
 * automator.launch and DevTools' own CLI. CI does not run this; see docs/e2e.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const cliPath = process.env.WECHAT_DEVTOOLS_CLI;
if (!cliPath || !existsSync(cliPath)) {
  process.stderr.write(
    'Set WECHAT_DEVTOOLS_CLI to WeChat DevTools’ CLI, e.g.\n' +
      '  macOS:   /Applications/wechatwebdevtools.app/Contents/MacOS/cli\n' +
      '  Windows: C:\\Program Files (x86)\\Tencent\\微信web开发者工具\\cli.bat\n' +
      (cliPath ? `(${cliPath} does not exist)\n` : ''),
  );
  process.exit(2);
}

const jest = createRequire(__filename).resolve('jest/bin/jest');
// --forceExit: the client keeps a 15 s timer after DevTools' CLI exits; in-band: one DevTools.
const args = [jest, '--selectProjects', 'e2e', '--runInBand', '--forceExit', '--testPathPattern', 'albumUploader', ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, E2E_TARGET: 'devtools' } });
process.exit(run.status ?? 1);
