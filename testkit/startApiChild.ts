import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export interface ApiChild {
  child: ChildProcess;
  url: string;
  /** Ends the process and waits for it. */
  stop(): Promise<void>;
}

/**
 * The API alone in a process of its own (testkit/apiProcess.ts) with the given environment, e.g.
 * on a local cloud the test runs. `uid`/`gid` run it as another user (root tests use them to meet
 * file permissions that root itself ignores).
 */
export function startApiChild(env: NodeJS.ProcessEnv, options: { uid?: number; gid?: number } = {}): Promise<ApiChild> {
  // `node --import tsx`, not the tsx CLI: the CLI runs a grandchild that a SIGKILL would orphan.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'apiProcess.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: options.uid,
    gid: options.gid,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const m = /listening (\S+)/.exec(output);
      if (m)
        resolve({
          child,
          url: m[1],
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`API exited with ${code}: ${output}`)));
  });
}
