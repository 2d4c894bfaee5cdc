import { ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Runs a bench module in a fresh Node process (TypeScript through tsx), so what it measures —
 * CPU, memory, sockets — is that process's alone. Parent and child talk over the IPC channel:
 * the child announces `ready` with a value, then answers calls by name.
 */

type Message =
  | { kind: 'ready'; value: unknown }
  | { kind: 'failed'; message: string }
  | { kind: 'call'; id: number; method: string; arg: unknown }
  | { kind: 'result'; id: number; value?: unknown; error?: string };

export interface TsChild<Ready> {
  ready: Ready;
  call<R>(method: string, arg?: unknown): Promise<R>;
  /** Asks the child to clean up and exit; kills it if it does not within a few seconds. */
  close(): Promise<void>;
  process: ChildProcess;
}

export async function startTsChild<Ready>(modulePath: string, input: unknown, options: { nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<TsChild<Ready>> {
  // The tsx loader by absolute URL, so the child finds it whatever its working directory.
  const tsx = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
  const child = fork(modulePath, [JSON.stringify(input)], {
    execArgv: ['--import', tsx, ...(options.nodeArgs ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`bench child ${modulePath} exited (${code ?? signal})`));
    pending.clear();
  });

  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench child ${modulePath} did not start in time`)), options.timeoutMs ?? 60_000);
    child.on('message', (message: Message) => {
      if (message.kind === 'ready') {
        clearTimeout(timer);
        resolve(message.value as Ready);
      } else if (message.kind === 'failed') {
        clearTimeout(timer);
        reject(new Error(`bench child ${modulePath} failed: ${message.message}`));
      } else if (message.kind === 'result') {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) p?.reject(new Error(message.error));
        else p?.resolve(message.value);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench child ${modulePath} exited with ${code} before it was ready`));
    });
  });

  function call<R>(method: string, arg?: unknown): Promise<R> {
    if (exited) return Promise.reject(new Error(`bench child ${modulePath} has exited`));
    const id = nextId++;
    return new Promise<R>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ kind: 'call', id, method, arg } satisfies Message);
    });
  }

  return {
    ready,
    process: child,
    call,
    async close() {
      if (exited) return;
      await call('close').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}

/** The child's side: starts from the parent's input, then serves calls until `close`. */
export function serveChild<Input>(start: (input: Input) => Promise<{ ready: unknown; handlers: Record<string, (arg: any) => unknown>; close: () => Promise<void> }>): void {
  const send = (message: Message) => process.send?.(message);
  const input = JSON.parse(process.argv[2] ?? 'null') as Input;
  start(input).then(
    ({ ready, handlers, close: closeChild }) => {
      let closing: Promise<void> | undefined;
      const close = () => (closing ??= closeChild());
      process.on('message', async (message: Message) => {
        if (message.kind !== 'call') return;
        if (message.method === 'close') {
          await close().catch(() => undefined);
          send({ kind: 'result', id: message.id, value: null });
          process.disconnect?.();
          return;
        }
        try {
          const handler = handlers[message.method];
          if (!handler) throw new Error(`no method ${message.method}`);
          send({ kind: 'result', id: message.id, value: await handler(message.arg) });
        } catch (err) {
          send({ kind: 'result', id: message.id, error: err instanceof Error ? err.message : String(err) });
        }
      });
      // The parent went away: nothing left to serve.
      process.on('disconnect', () => void close().finally(() => process.exit(0)));
      send({ kind: 'ready', value: ready });
    },
    (err: unknown) => {
      send({ kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.exitCode = 1;
      process.disconnect?.();
    },
  );
}
