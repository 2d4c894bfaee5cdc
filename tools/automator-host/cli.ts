import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCliArgs, type CliArgs } from './parseCliArgs';
import { startHost } from './startHost';

/** How long a daemon host lives without a client: long enough for launch() to connect, short enough not to linger. */
const DAEMON_IDLE_EXIT_SEC = 30;
const START_TIMEOUT_MS = 60_000;

type Ready = { ready: true; url: string };

/** Runs the host in this process until Tool.close, idling out, or a signal. */
async function serve(args: CliArgs): Promise<void> {
  const host = await startHost({
    projectPath: path.resolve(args.projectPath),
    port: args.port,
    apiBaseUrl: args.apiBaseUrl,
    user: args.user,
    storageFile: args.storageFile === undefined ? undefined : path.resolve(args.storageFile),
    idleExitMs: args.idleExitSec === undefined ? undefined : args.idleExitSec * 1000,
  });
  process.stdout.write(`automator host listening on ${host.url}\n`);
  const ready: Ready = { ready: true, url: host.url };
  process.send?.(ready);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void host.close());
  await host.closed;
  // A clean end leaves nothing behind; a crash leaves the log to read.
  if (args.logFile) rmSync(args.logFile, { force: true });
  process.exit(0);
}

/**
 * What DevTools' `cli auto` does: opens the project with automation on the given port and
 * returns, leaving the IDE (here, the host) running. The host logs to a file in the temp folder.
 */
async function daemonize(args: CliArgs): Promise<void> {
  const logPath = path.join(tmpdir(), `automator-host-${args.port}.log`);
  const logFd = openSync(logPath, 'a');
  const hostArgs = ['serve', '--project', path.resolve(args.projectPath), '--port', String(args.port), '--idle-exit', String(DAEMON_IDLE_EXIT_SEC), '--log-file', logPath];
  if (args.apiBaseUrl) hostArgs.push('--api', args.apiBaseUrl);
  if (args.user) hostArgs.push('--user', args.user);
  if (args.storageFile) hostArgs.push('--storage-file', path.resolve(args.storageFile));
  const child = spawn(process.execPath, [...process.execArgv, __filename, ...hostArgs], { detached: true, stdio: ['ignore', logFd, logFd, 'ipc'] });
  closeSync(logFd);
  const outcome = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(`the host did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    child.once('message', (message: Partial<Ready>) => {
      clearTimeout(timer);
      resolve(message.ready ? undefined : 'the host sent an unexpected message');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(`the host exited with code ${code}`);
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve(err.message);
    });
  });
  if (outcome !== undefined) {
    child.kill();
    const tail = readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n');
    process.stderr.write(`${outcome}; its log (${logPath}) ends:\n${tail}\n`);
    process.exit(1);
  }
  child.disconnect();
  child.unref();
  process.stdout.write(`automator host started on ws://127.0.0.1:${args.port} (log: ${logPath})\n`);
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (args.command === 'serve') await serve(args);
  else await daemonize(args);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
