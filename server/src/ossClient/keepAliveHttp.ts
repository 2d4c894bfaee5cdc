import http, { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text, cut at `maxBodyBytes` (error documents are small). */
  body: string;
}

export interface KeepAliveHttp {
  request(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<HttpAnswer>;
  /** A GET whose body goes to `onChunk` as it arrives (big objects), answered with status and headers at the end. */
  stream(url: string, init: { headers: Record<string, string> }, onChunk: (chunk: Buffer) => void): Promise<Omit<HttpAnswer, 'body'> & { body: string }>;
  /** Drops the pooled connections (on shutdown). */
  close(): void;
}

/**
 * Small requests over pooled keep-alive connections. Node's fetch closes the connection after
 * every HEAD (undici #262), so each verified photo would pay a new TCP (and, against Alibaba
 * Cloud, TLS) handshake; a commit of 100 photos makes 100 HEADs.
 */
export function createKeepAliveHttp(options: { timeoutMs: number; maxSockets?: number; maxBodyBytes?: number }): KeepAliveHttp {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 32 };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;

  return {
    request(url, init) {
      const target = new URL(url);
      const transport = target.protocol === 'https:' ? https : http;
      return new Promise((resolve, reject) => {
        const req = transport.request(target, { method: init.method, headers: init.headers, agent: agents[target.protocol as 'http:' | 'https:'], timeout: options.timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < maxBodyBytes) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, maxBodyBytes) }));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`timed out after ${options.timeoutMs} ms`)));
        req.on('error', reject);
        req.end(init.body);
      });
    },
    stream(url, init, onChunk) {
      const target = new URL(url);
      const transport = target.protocol === 'https:' ? https : http;
      return new Promise((resolve, reject) => {
        const req = transport.request(target, { method: 'GET', headers: init.headers, agent: agents[target.protocol as 'http:' | 'https:'], timeout: options.timeoutMs }, (res) => {
          const status = res.statusCode ?? 0;
          // Only a 200's body is the object; an error's is a small XML document kept as text.
          const errorChunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => (status === 200 ? onChunk(chunk) : errorChunks.push(chunk)));
          res.on('end', () => resolve({ status, headers: res.headers, body: Buffer.concat(errorChunks).toString('utf8').slice(0, maxBodyBytes) }));
          res.on('error', reject);
        });
        // The timeout is for silence on the socket, not the whole transfer.
        req.on('timeout', () => req.destroy(new Error(`no data for ${options.timeoutMs} ms`)));
        req.on('error', reject);
        req.end();
      });
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
