import { createServer, IncomingMessage, RequestListener, Server, ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiErrorCode } from '../../../typings';

const errorJson = (code: ApiErrorCode, message: string): string => JSON.stringify({ error: { code, message } });

/** A request target Express can route: one the WHATWG URL parser reads (not `//x`, `http://[`, `*`). */
function parseable(target: string | undefined): boolean {
  if (!target || !(target.startsWith('/') || /^https?:\/\//i.test(target)) || target.startsWith('//')) return false;
  try {
    new URL(target, 'http://localhost');
    return true;
  } catch {
    return false;
  }
}

/**
 * The API's HTTP server, answering in the API's own `{"error":{"code","message"}}` even where
 * Express never sees the request: a target it cannot route (Express would answer its HTML 404)
 * and a request line or headers node:http cannot parse ('clientError', which Node answers with a
 * bare 400, https://nodejs.org/api/http.html#event-clienterror).
 */
export function createApiServer(app: RequestListener): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (parseable(req.url)) return app(req, res);
    req.resume();
    const body = errorJson('bad_request', 'the request URL could not be parsed');
    res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = errorJson('bad_request', status === 431 ? 'the request line and headers are too large' : status === 408 ? 'the request took too long to arrive' : 'the request is not well-formed HTTP');
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  return server;
}
