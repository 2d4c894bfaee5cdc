import diagnostics from 'node:diagnostics_channel';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import express from 'express';
import pino from 'pino';
import { loadConfig } from '../server/src/config';
import { createLogger } from '../server/src/logger';
import { startApi } from '../server/src/startApi';
import { serveChild } from './childProcess';
import { createRelayApp } from './relayRoute';

/**
 * The API in a process of its own, so its CPU time and socket bytes are its alone: the product's
 * API exactly as `startApi` builds it, plus two bench-only apps on their own ports in the same
 * process — the relay (part 6) and an Express 5 hello-world (part 4's baseline).
 */

export interface ApiChildInput {
  /** The environment the API's configuration is read from (the local cloud's ports, DATA_DIR, ...). */
  env: Record<string, string>;
}

export interface ApiChildReady {
  api: string;
  relay: string;
  hello: string;
  pid: number;
}

export interface ApiChildStats {
  /** User + system CPU of the whole process, microseconds. */
  cpuMicros: number;
  /** Bytes read from / written to sockets the process accepted (phones → API). */
  serverBytesRead: number;
  serverBytesWritten: number;
  /** Bytes on sockets the process opened (API → OSS, STS). */
  clientBytesRead: number;
  clientBytesWritten: number;
  credentialFetches: number;
  rssBytes: number;
}

/** Byte counters over every socket of one kind the process has had, open or closed. */
function socketCounter(channel: string) {
  const live = new Set<Socket>();
  const closed = { read: 0, written: 0 };
  diagnostics.subscribe(channel, (message) => {
    const socket = (message as { socket: Socket }).socket;
    live.add(socket);
    socket.once('close', () => {
      closed.read += socket.bytesRead;
      closed.written += socket.bytesWritten;
      live.delete(socket);
    });
  });
  return () => {
    let read = closed.read;
    let written = closed.written;
    for (const s of live) {
      read += s.bytesRead;
      written += s.bytesWritten;
    }
    return { read, written };
  };
}

function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1');
    server.once('error', reject);
    server.once('listening', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

serveChild<ApiChildInput>(async (input) => {
  const serverBytes = socketCounter('net.server.socket');
  const clientBytes = socketCounter('net.client.socket');
  const config = { ...loadConfig(input.env), port: 0 };
  // Logs are written as in production (JSON lines, asynchronously) but to nowhere: their cost is counted, their text is not needed.
  const logger = createLogger(config.logLevel, pino.destination({ dest: '/dev/null', sync: false }));
  const api = await startApi(config, { logger });
  const relay = await listen(
    createRelayApp({ store: api.deps.store, credentials: api.deps.credentials, oss: config.oss, now: api.deps.now, maxFileSizeBytes: config.limits.maxFileSizeBytes }),
  );
  const helloApp = express();
  helloApp.get('/', (_req, res) => {
    res.send('Hello World!');
  });
  const hello = await listen(helloApp);

  return {
    ready: { api: api.url, relay: relay.url, hello: hello.url, pid: process.pid } satisfies ApiChildReady,
    handlers: {
      stats: (): ApiChildStats => {
        const cpu = process.cpuUsage();
        const s = serverBytes();
        const c = clientBytes();
        return {
          cpuMicros: cpu.user + cpu.system,
          serverBytesRead: s.read,
          serverBytesWritten: s.written,
          clientBytesRead: c.read,
          clientBytesWritten: c.written,
          credentialFetches: api.deps.credentials.fetchCount(),
          rssBytes: process.memoryUsage.rss(),
        };
      },
    },
    close: async () => {
      await Promise.all([closeServer(relay.server), closeServer(hello.server)]);
      await api.close();
    },
  };
});
