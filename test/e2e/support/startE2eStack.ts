import net from 'node:net';
import { API_BASE_URL } from '../../../miniprogram/config';
import { startStack, type Stack } from '../../../testkit/startStack';
import type { E2eTarget } from './e2eTarget';

export interface E2eStack {
  stack: Stack;
  /** Where this run's API answers. */
  apiUrl: string;
  close(): Promise<void>;
}

/** Accepts on `port` of 127.0.0.1 and pipes every connection to `target`. */
async function forwardPort(port: number, target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`cannot serve the API on 127.0.0.1:${port}, where miniprogram/config.ts points the app (is npm start running?): ${err.message}`)));
    server.listen(port, '127.0.0.1', resolve);
  });
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/**
 * The real stack (API, local OSS/STS/WeChat, SQLite) on free ports. An app this run does not
 * compile (DevTools, a connected endpoint) calls the API at `miniprogram/config.ts`'s address, so
 * that port is forwarded to this run's API.
 */
export async function startE2eStack(target: E2eTarget): Promise<E2eStack> {
  const stack = await startStack('sqlite');
  let stopForwarding = async () => {};
  if (target.kind !== 'headless') {
    const configured = new URL(API_BASE_URL);
    stopForwarding = await forwardPort(Number(configured.port || 80), { host: '127.0.0.1', port: stack.api.port });
  }
  return {
    stack,
    apiUrl: target.kind === 'headless' ? stack.api.url : API_BASE_URL,
    async close() {
      await stopForwarding();
      await stack.close();
    },
  };
}
