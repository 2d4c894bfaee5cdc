import { createServer, IncomingMessage, Server, ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Why a request could not be served, as each server words it in its own format. */
export type Problem = 'malformed' | 'too-large' | 'timeout' | 'internal';

export interface ErrorAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface GuardOptions {
  /** The server's own error answer (OSS XML, STS JSON, WeChat errcode JSON) for a problem. */
  renderError: (problem: Problem, status: number) => ErrorAnswer;
  /** Told about handler failures (never about client mistakes). */
  onError?: (err: unknown) => void;
}

/** node:http's parser errors → the problem and status they stand for. */
function classify(err: NodeJS.ErrnoException): { problem: Problem; status: number } {
  if (err.code === 'HPE_HEADER_OVERFLOW') return { problem: 'too-large', status: 431 };
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { problem: 'timeout', status: 408 };
  return { problem: 'malformed', status: 400 };
}

function rawAnswer(answer: ErrorAnswer): string {
  return (
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Error'}\r\n` +
    `Content-Type: ${answer.contentType}\r\nContent-Length: ${Buffer.byteLength(answer.body)}\r\nConnection: close\r\n\r\n${answer.body}`
  );
}

/**
 * A node:http server that no request can take down: a request line or header block node:http
 * cannot parse (`GET /a b`, a 20 kB URL, garbage) is answered on the raw socket in the server's
 * own error format instead of Node's bare 400 ('clientError', https://nodejs.org/api/http.html#event-clienterror),
 * and a handler that throws or rejects answers 500 in that format (or drops the connection when
 * its answer had already begun) instead of crashing the process with everything else in it.
 */
export function createGuardedServer(handle: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>, options: GuardOptions): Server {
  const fail = (res: ServerResponse, err: unknown): void => {
    options.onError?.(err);
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const answer = options.renderError('internal', 500);
    res.writeHead(answer.status, { 'Content-Type': answer.contentType, 'Content-Length': Buffer.byteLength(answer.body), Connection: 'close' });
    res.end(answer.body);
  };
  const server = createServer((req, res) => {
    try {
      const pending = handle(req, res);
      if (pending) pending.catch((err: unknown) => fail(res, err));
    } catch (err) {
      fail(res, err);
    }
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { problem, status } = classify(err);
    socket.end(rawAnswer(options.renderError(problem, status)));
  });
  return server;
}
