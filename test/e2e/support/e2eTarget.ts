import path from 'node:path';

export const REPO_ROOT = path.join(__dirname, '..', '..', '..');
/** The DevTools CLI stand-in: `automator.launch` runs it to start the headless host. */
export const HOST_CLI = path.join(REPO_ROOT, 'tools', 'automator-host', 'devtools-cli');

/**
 * Where the specs run. `headless` (the default, CI): automator.launch runs the stand-in CLI, which
 * starts the headless host pointed at this run's API. `devtools` (`npm run e2e:devtools`):
 * automator.launch runs WeChat DevTools' own CLI. `connect`: an automator endpoint someone already
 * opened (DevTools with `cli auto --auto-port`, or `devtools-cli serve`). DevTools and connected
 * apps reach the API where `miniprogram/config.ts` says, so the run serves it there.
 */
export type E2eTarget = { kind: 'headless'; cliPath: string } | { kind: 'devtools'; cliPath: string } | { kind: 'connect'; wsEndpoint: string };

export function e2eTarget(env: NodeJS.ProcessEnv): E2eTarget {
  if (env.E2E_WS_ENDPOINT) return { kind: 'connect', wsEndpoint: env.E2E_WS_ENDPOINT };
  if (env.E2E_TARGET === 'devtools') {
    if (!env.WECHAT_DEVTOOLS_CLI) throw new Error('E2E_TARGET=devtools needs WECHAT_DEVTOOLS_CLI: the path of WeChat DevTools’ cli (cli.bat on Windows)');
    return { kind: 'devtools', cliPath: env.WECHAT_DEVTOOLS_CLI };
  }
  if (env.E2E_TARGET && env.E2E_TARGET !== 'headless') throw new Error(`E2E_TARGET must be headless or devtools, not "${env.E2E_TARGET}"`);
  return { kind: 'headless', cliPath: HOST_CLI };
}
