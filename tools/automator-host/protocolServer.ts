import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatch } from './dispatcher';

export interface ProtocolServer {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** An event (no id) to every connected client: `App.logAdded`, `App.exceptionThrown`, … */
  emit(method: string, params: unknown): void;
  clientCount(): number;
  close(): Promise<void>;
}

export interface ProtocolServerOptions {
  dispatch: Dispatch;
  /** Connections come and go; the host uses it to leave when nobody is left. */
  onClientsChanged?(count: number): void;
  log?(line: string): void;
}

/**
 * The automator wire protocol over WebSocket: `{id, method, params}` in, `{id, result}` or
 * `{id, error: {message}}` out, events as `{method, params}`. Requests are answered as they
 * finish, not in order, as DevTools does.
 */
export function createProtocolServer(options: ProtocolServerOptions): ProtocolServer {
  const clients = new Set<WebSocket>();
  let server: WebSocketServer | undefined;
  const log = options.log ?? (() => {});

  function onConnection(socket: WebSocket) {
    clients.add(socket);
    options.onClientsChanged?.(clients.size);
    socket.on('close', () => {
      clients.delete(socket);
      options.onClientsChanged?.(clients.size);
    });
    socket.on('message', (raw) => {
      let request: { id?: unknown; method?: unknown; params?: unknown };
      try {
        request = JSON.parse(String(raw));
      } catch {
        log(`ignored a message that is not JSON: ${String(raw).slice(0, 200)}`);
        return;
      }
      const { id, method } = request;
      if (typeof id !== 'string' && typeof id !== 'number') return;
      const reply = (body: object) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ id, ...body }));
      };
      if (typeof method !== 'string') return reply({ error: { message: 'a request needs a method' } });
      options
        .dispatch(method, request.params as Record<string, unknown> | undefined)
        .then((result) => reply({ result }))
        .catch((err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          log(`${method} failed: ${message}`);
          reply({ error: { message } });
        });
    });
  }

  return {
    async listen(port, host = '127.0.0.1') {
      const wss = new WebSocketServer({ host, port });
      server = wss;
      await new Promise<void>((resolve, reject) => {
        wss.once('listening', resolve);
        wss.once('error', reject);
      });
      wss.on('connection', onConnection);
      const address = wss.address() as AddressInfo;
      return { url: `ws://${host}:${address.port}`, port: address.port };
    },
    emit(method, params) {
      const text = JSON.stringify({ method, params });
      for (const socket of clients) if (socket.readyState === socket.OPEN) socket.send(text);
    },
    clientCount: () => clients.size,
    close() {
      for (const socket of clients) socket.terminate();
      return new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
