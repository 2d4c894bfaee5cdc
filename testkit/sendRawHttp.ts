import { connect } from 'node:net';

export interface RawHttpAnswer {
  /** 0 when the server closed the connection without an HTTP answer. */
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
  raw: string;
}

/**
 * Writes `request` as is to 127.0.0.1:`port` over a plain socket (no HTTP client would send these
 * bytes) and reads until the server closes, or `timeoutMs` passes. For malformed-request tests.
 */
export function sendRawHttp(port: number, request: string | Buffer, timeoutMs = 5000): Promise<RawHttpAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from port ${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after the answer was written still leaves the answer readable.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseAnswer(Buffer.concat(chunks).toString('latin1')));
    });
  });
}

function parseAnswer(raw: string): RawHttpAnswer {
  const headEnd = raw.indexOf('\r\n\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  if (!statusLine || headEnd < 0) return { status: 0, headers: {}, body: '', raw };
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, headEnd).split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.slice(headEnd + 4);
  const length = Number(headers['content-length']);
  if (Number.isFinite(length)) body = body.slice(0, length);
  return { status: Number(statusLine[1]), headers, body: Buffer.from(body, 'latin1').toString('utf8'), raw };
}
