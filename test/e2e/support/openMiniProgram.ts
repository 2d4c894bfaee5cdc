import automator from 'miniprogram-automator';
import type MiniProgram from 'miniprogram-automator/out/MiniProgram';
import { REPO_ROOT, type E2eTarget } from './e2eTarget';
import { freePort } from '../../../testkit/freePort';

export interface OpenOptions {
  apiUrl: string;
  /**
   * Headless host: the file its wx storage lives in, so a second launch with the same file finds
   * what the first left, as a restarted phone does. DevTools keeps storage per project anyway.
   */
  storageFile?: string;
}

/**
 * Opens the Mini Program for the specs through the unmodified client: `automator.launch` with
 * DevTools' CLI or its headless stand-in (told this run's API address), or `automator.connect`.
 */
export async function openMiniProgram(target: E2eTarget, options: OpenOptions): Promise<MiniProgram> {
  if (target.kind === 'connect') return automator.connect({ wsEndpoint: target.wsEndpoint });
  return automator.launch({
    cliPath: target.cliPath,
    projectPath: REPO_ROOT,
    // A free port rather than the default 9420, so parallel runs on one machine do not meet.
    port: await freePort(),
    // launch() puts `args` before `auto`: only the stand-in takes host options.
    args: target.kind === 'headless' ? ['--api', options.apiUrl, ...(options.storageFile ? ['--storage-file', options.storageFile] : [])] : [],
    trustProject: target.kind === 'devtools',
  });
}

export type { MiniProgram };
