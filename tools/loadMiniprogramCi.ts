import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The part of `miniprogram-ci` the build and the compile test use. */
export type MiniprogramCi = typeof import('miniprogram-ci');

export interface OfflineMiniprogramCi {
  ci: MiniprogramCi;
  /** URLs miniprogram-ci tried to fetch and was refused, in order. */
  refusedUrls: string[];
}

/**
 * miniprogram-ci, kept off the network. It sends every HTTP call through one function
 * (`dist/utils/request.js`'s `request`, which the package's own modules call through the module
 * object); replacing it with one that refuses makes any call to WeChat's servers fail at once, in
 * process, and be recorded, rather than hang or depend on a network the build does not need. The
 * only call left once a project supplies its own attributes (`ciProjectOffline`) is the list of
 * packable file extensions, for which the package falls back to its built-in list
 * (`dist/utils/white_ext_list.js`) when the call fails. The compile test asserts that list.
 */
export function loadMiniprogramCiOffline(): OfflineMiniprogramCi {
  // One patch per process: the package is loaded once, whoever asks.
  if (offline) return offline;
  const nodeRequire = createRequire(__filename);
  const ci = nodeRequire('miniprogram-ci') as MiniprogramCi;
  const transport = nodeRequire(path.join(path.dirname(nodeRequire.resolve('miniprogram-ci')), 'utils', 'request.js')) as { request: unknown };
  const refusedUrls: string[] = [];
  transport.request = async (options: { url?: string }) => {
    refusedUrls.push(String(options?.url ?? ''));
    throw new Error(`offline: miniprogram-ci may not reach ${options?.url}`);
  };
  offline = { ci, refusedUrls };
  return offline;
}

let offline: OfflineMiniprogramCi | undefined;

/**
 * A `ci.Project` that never asks WeChat for the project's attributes: `CIProject.attr()` uses the
 * options' own `attr()` when there is one (`dist/project/ciProject.js`) instead of signing a request
 * with the upload key. The attributes are the package's `DefaultProjectAttr` — the limits it applies
 * when the server cannot be reached (2 MB main package) — and the key is a placeholder, since
 * nothing is uploaded.
 */
export function ciProjectOffline(ci: MiniprogramCi, projectPath: string): InstanceType<MiniprogramCi['Project']> {
  const { appid } = JSON.parse(readFileSync(path.join(projectPath, 'project.config.json'), 'utf8')) as { appid: string };
  const options = {
    projectPath,
    appid,
    type: 'miniProgram' as const,
    privateKey: 'offline: nothing is uploaded',
    attr: async () => ci.DefaultProjectAttr,
  };
  return new ci.Project(options as ConstructorParameters<MiniprogramCi['Project']>[0]);
}
