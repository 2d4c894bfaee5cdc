/**
 * The command line of the DevTools CLI stand-in. `automator.launch` runs
 * `<cliPath> [args…] auto --project <path> --auto-port <port>` (plus `--trust-project`,
 * `--ticket`, `--auto-account`, which mean nothing here); `serve` runs the host in the foreground.
 */
export interface CliArgs {
  command: 'auto' | 'serve';
  projectPath: string;
  port: number;
  apiBaseUrl?: string;
  user?: string;
  idleExitSec?: number;
  /** The file the daemon's output goes to (serve removes it when it ends cleanly). */
  logFile?: string;
  /** wx storage is read from and written to this file, so it outlives the host (an app restart keeps it). */
  storageFile?: string;
}

const VALUE_OPTIONS = new Set(['--project', '--auto-port', '--port', '--api', '--user', '--idle-exit', '--log-file', '--storage-file', '--ticket', '--auto-account']);
const FLAGS = new Set(['--trust-project']);

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const values = new Map<string, string>();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (FLAGS.has(arg)) continue;
    if (VALUE_OPTIONS.has(arg)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
      values.set(arg, value);
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (command === undefined) command = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (command !== 'auto' && command !== 'serve') throw new Error(`usage: devtools-cli auto --project <path> --auto-port <port> | serve --project <path> --port <port>`);
  const projectPath = values.get('--project');
  if (!projectPath) throw new Error('--project <path> is required');
  const portText = values.get(command === 'auto' ? '--auto-port' : '--port') ?? (command === 'auto' ? '9420' : '0');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port "${portText}"`);
  const idleText = values.get('--idle-exit');
  const idleExitSec = idleText === undefined ? undefined : Number(idleText);
  if (idleExitSec !== undefined && !(idleExitSec > 0)) throw new Error(`invalid --idle-exit "${idleText}"`);
  return {
    command,
    projectPath,
    port,
    ...(values.has('--api') ? { apiBaseUrl: values.get('--api') } : {}),
    ...(values.has('--user') ? { user: values.get('--user') } : {}),
    ...(idleExitSec !== undefined ? { idleExitSec } : {}),
    ...(values.has('--log-file') ? { logFile: values.get('--log-file') } : {}),
    ...(values.has('--storage-file') ? { storageFile: values.get('--storage-file') } : {}),
  };
}
