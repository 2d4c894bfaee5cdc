import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGuardedServer, Problem } from '../createGuardedServer';
import { closeServer, listenOn } from '../httpServerLifecycle';
import { createBodyGate } from './createBodyGate';
import { createObjectStore } from './createObjectStore';
import type { CreateWriteStream } from './streamToTempFile';
import { createBandwidthThrottle, BandwidthThrottle } from './createBandwidthThrottle';
import { createSecretResolver } from './createSecretResolver';
import { checkUnservedBucket } from './checkUnservedBucket';
import type { HandlerContext, OssEmulatorStats } from './handlerContext';
import { NO_FAULTS, OssFaults } from './ossFaults';
import { internalError, invalidArgument, isOssError, OssError, ossErrorXml, requestTimeout } from './ossError';
import { OSS_OPERATIONS } from './ossOperations';
import { resolveOperation } from './resolveOperation';
import { BUCKET_NAME, parseRequestUrl, resolveTarget } from './resolveTarget';
import { createMultipartStore } from './multipart';

export { ossFaultsFromEnv } from './ossFaults';
export { bodyIdleTimeoutFromEnv } from './bodyIdleTimeoutFromEnv';
export type { OssFaults } from './ossFaults';
export type { OssEmulatorStats } from './handlerContext';

export interface OssEmulatorOptions {
  /** Objects live under `<dataDir>/<bucket>/`. */
  dataDir: string;
  /** Bare region, e.g. `cn-hangzhou`: the credential scope requests must be signed for. */
  region: string;
  /** Buckets served; the first is used when neither Host nor path names one. */
  buckets: string[];
  /** Permanent AccessKeyId → AccessKeySecret. */
  accessKeys: Record<string, string>;
  /** The local cloud's STS secret, to check `STS.` keys and their tokens (see ../stsTokens). */
  stsSharedSecret: string;
  now?: () => Date;
  faults?: Partial<OssFaults>;
  /** Largest single PostObject form field, bytes (default 1 MiB); larger → 400 InvalidArgument. */
  maxPostFormFieldBytes?: number;
  /**
   * A PUT or PostObject body from which no byte arrives for this long is dropped with 400
   * RequestTimeout and its temp file removed (default 5 minutes; 0 = wait forever).
   */
  bodyIdleTimeoutMs?: number;
  /** Opens temp files; a test passes one that fails like a full disk. */
  createWriteStream?: CreateWriteStream;
  /** Receives one object per answered request, and one per unexpected error. */
  logger?: (line: object) => void;
}

export interface OssEmulator {
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
  /**
   * Changes faults at run time; uploads in flight see new bandwidth caps on their next chunk.
   * Setting `linkDownAfterBytes` (0 too) brings the link back up and starts its count afresh.
   */
  setFaults(faults: Partial<OssFaults>): void;
  stats(): OssEmulatorStats;
  resetStats(): void;
}

const OSS_TOTAL_FORM_FIELD_BYTES = 8 * 1024 * 1024;
const DEFAULT_BODY_IDLE_TIMEOUT_MS = 5 * 60 * 1000;

function zeroStats(): OssEmulatorStats {
  return { requests: 0, objectsWritten: 0, bytesReceived: 0, postObjects: 0, puts: 0, uploadParts: 0, uploadsCut: 0 };
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function injectedFailure(status: number): OssError {
  if (status === 500) return internalError();
  if (status === 503) return new OssError(503, 'ServiceUnavailable', 'Please reduce your request rate.');
  return new OssError(status, 'InjectedFault', `Failure injected by the local OSS emulator (status ${status}).`);
}

/**
 * An OSS error answer: the XML body, `x-oss-ec` when the cause has a documented EC, and for HEAD
 * (which has no body) the same XML base64-encoded in `x-oss-err`, where OSS puts it and the SDKs
 * look for it (alibabacloud-oss-python-sdk-v2 alibabacloud_oss_v2/_client.py `_to_service_error`,
 * ali-oss lib/client.js `requestError`).
 */
function sendError(req: IncomingMessage, res: ServerResponse, error: OssError, requestId: string, hostId: string): void {
  const xml = ossErrorXml(error, requestId, hostId);
  const headers: Record<string, string | number> = { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) };
  if (error.ec) headers['x-oss-ec'] = error.ec;
  if (req.method === 'HEAD') headers['x-oss-err'] = Buffer.from(xml, 'utf8').toString('base64');
  // A body left unread (stalled, or dropped after a failed write) leaves the connection unusable for another request.
  if (!req.complete) headers.Connection = 'close';
  res.writeHead(error.status, headers);
  res.end(xml);
}

/** Lets the body finish arriving (discarded) before answering, so clients read the answer rather than a reset. */
function afterBody(body: Readable, send: () => void): void {
  if (body.readableEnded || body.destroyed) return send();
  body.once('end', send);
  body.on('error', () => undefined);
  body.resume();
}

/**
 * A local Alibaba Cloud OSS over plain node:http: PostObject with V4 policies, PUT/GET/HEAD/DELETE
 * with V4 header or presigned auth, ListObjects, OSS XML errors — close enough to the wire that the
 * real SDKs and the Mini Program's `wx.uploadFile` work against it unchanged. Faults (latency,
 * bandwidth, failures, cut connections) can be injected for retry tests and benchmarks.
 */
export function createOssEmulator(options: OssEmulatorOptions): OssEmulator {
  if (options.buckets.length === 0) throw new Error('createOssEmulator needs at least one bucket');
  const badBucket = options.buckets.find((b) => !BUCKET_NAME.test(b));
  if (badBucket !== undefined) throw new Error(`Invalid OSS bucket name "${badBucket}"`);
  if (!/^[a-z0-9-]+$/.test(options.region)) throw new Error(`Invalid OSS region "${options.region}" (expected a bare region such as cn-hangzhou)`);

  const now = options.now ?? (() => new Date());
  let faults: OssFaults = { ...NO_FAULTS, ...options.faults };
  let stats = zeroStats();
  const store = createObjectStore(options.dataDir, options.buckets, { createWriteStream: options.createWriteStream });
  const bodyIdleTimeoutMs = options.bodyIdleTimeoutMs ?? DEFAULT_BODY_IDLE_TIMEOUT_MS;
  const multipart = createMultipartStore(options.dataDir, options.buckets);
  const monotonicMs = () => performance.now();
  const totalThrottle = createBandwidthThrottle(monotonicMs);
  const connectionThrottles = new WeakMap<object, BandwidthThrottle>();
  const maxFieldBytes = options.maxPostFormFieldBytes ?? 1024 * 1024;
  // `linkDownAfterBytes`: what the shared link has carried since the fault was set, and whether it is down.
  const link = { carried: 0, down: false };
  const carry = (bytes: number): boolean => {
    if (!link.down && faults.linkDownAfterBytes > 0 && link.carried + bytes > faults.linkDownAfterBytes) link.down = true;
    if (link.down) return false;
    link.carried += bytes;
    return true;
  };
  const ctx: HandlerContext = {
    store,
    multipart,
    region: options.region,
    now,
    secretFor: createSecretResolver({ accessKeys: options.accessKeys, stsSharedSecret: options.stsSharedSecret }),
    formLimits: { maxFieldBytes, maxTotalFieldBytes: Math.max(maxFieldBytes, OSS_TOTAL_FORM_FIELD_BYTES), maxParts: 1000 },
    get stats() {
      return stats;
    },
  };

  function gatedBody(req: IncomingMessage, cut: boolean): Readable {
    const socket = req.socket;
    let perConnection = connectionThrottles.get(socket);
    if (!perConnection) {
      perConnection = createBandwidthThrottle(monotonicMs);
      connectionThrottles.set(socket, perConnection);
    }
    const connectionThrottle = perConnection;
    const declaredLength = Number(req.headers['content-length']);
    const gate = createBodyGate({
      limits: () => [
        { throttle: connectionThrottle, bytesPerSec: faults.bytesPerSecPerConnection },
        { throttle: totalThrottle, bytesPerSec: faults.bytesPerSecTotal },
      ],
      cutAfterBytes: cut ? Math.max(1, Math.floor((Number.isFinite(declaredLength) ? declaredLength : 0) / 2)) : undefined,
      carry,
      onCut: () => {
        stats.uploadsCut += 1;
        socket.destroy();
      },
      idleTimeoutMs: bodyIdleTimeoutMs > 0 ? bodyIdleTimeoutMs : undefined,
      idleError: requestTimeout,
    });
    // Not pipeline(): a failed gate must not destroy the request, whose socket still carries the answer.
    req.on('error', (err) => gate.destroy(err));
    // A handler may look something up before it reads the body (an upload id, forbid-overwrite); a
    // cut meanwhile must not be an unhandled 'error'. Whoever reads the gate later still gets it.
    gate.on('error', () => undefined);
    req.pipe(gate);
    return gate;
  }

  /** The local bucket's CORS rule allows everything, so browser-based tools can reach it too. */
  function allowCors(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'ETag, x-oss-request-id, Content-Range');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method !== 'OPTIONS' || !origin) return false;
    res.writeHead(200, {
      'Access-Control-Allow-Methods': 'GET, PUT, POST, DELETE, HEAD',
      'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
      'Access-Control-Max-Age': '600',
      'Content-Length': 0,
    });
    res.end();
    return true;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomBytes(12).toString('hex').toUpperCase();
    const startedMs = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    // node:http detaches req.socket once the connection is gone; keep our own reference.
    const socket = req.socket;
    let hostId = req.headers.host ?? `oss-${options.region}.aliyuncs.com`;
    let errorCode: string | undefined;
    stats.requests += 1;
    res.setHeader('x-oss-request-id', requestId);
    res.setHeader('Server', 'AliyunOSS');
    res.on('finish', () =>
      options.logger?.({ requestId, method, url: req.url, status: res.statusCode, code: errorCode, durationMs: Math.round(performance.now() - startedMs) }),
    );
    const current = faults;
    if (current.latencyMs > 0) await sleep(current.latencyMs);
    if (allowCors(req, res)) return;

    const isUpload = method === 'POST' || method === 'PUT';
    const fail = isUpload && current.failureRate > 0 && current.random() < current.failureRate;
    const cut = isUpload && !fail && current.cutRate > 0 && current.random() < current.cutRate;
    const stall = isUpload && !fail && !cut && current.stallRate > 0 && current.random() < current.stallRate;
    if (stall) {
      // Read nothing more and answer nothing: the client's timeout is what ends this request.
      req.pause();
      return;
    }
    const body = isUpload ? gatedBody(req, cut) : req;
    try {
      const { rawPath, query } = parseRequestUrl(req.url ?? '/');
      const target = resolveTarget({ host: req.headers.host, rawPath, buckets: options.buckets });
      hostId = `${target.bucket}.oss-${options.region}.aliyuncs.com`;
      const headers = flattenHeaders(req);
      checkUnservedBucket({ method, target, query, headers, region: options.region, now: now(), secretFor: ctx.secretFor });
      const operation = resolveOperation(OSS_OPERATIONS, { method, target: target.key === '' ? 'bucket' : 'object', query, headers });
      if (fail) throw injectedFailure(current.failureStatus);
      await operation.handle(ctx, { req, res, body, bucket: target.bucket, key: target.key, query, headers });
    } catch (err) {
      if (socket.destroyed || res.headersSent) return;
      const error = isOssError(err) ? err : internalError();
      if (!isOssError(err)) options.logger?.({ requestId, level: 'error', message: err instanceof Error ? err.stack : String(err) });
      errorCode = error.code;
      afterBody(body, () => sendError(req, res, error, requestId, hostId));
    }
  }

  /** Requests node:http could not parse, and handler failures: answered as OSS would, in XML. */
  const problemError = (problem: Problem): OssError => {
    if (problem === 'timeout') return requestTimeout();
    if (problem === 'too-large') return invalidArgument('The request line and headers together exceed the 16 KB the server reads.');
    if (problem === 'internal') return internalError();
    return new OssError(400, 'InvalidRequest', 'The request is not well-formed HTTP/1.1 (request line, URL or headers).');
  };
  const server = createGuardedServer(handle, {
    renderError: (problem) => {
      const error = problemError(problem);
      const body = ossErrorXml(error, randomBytes(12).toString('hex').toUpperCase(), `oss-${options.region}.aliyuncs.com`);
      return { status: error.status, contentType: 'application/xml', body };
    },
    onError: (err) => options.logger?.({ level: 'error', message: err instanceof Error ? err.stack : String(err) }),
  });
  // Throttled uploads of large files may legitimately take longer than Node's 5-minute default.
  server.requestTimeout = 0;

  return {
    async listen(port = 0, host = '127.0.0.1') {
      await store.prepare();
      await multipart.prepare();
      return listenOn(server, port, host);
    },
    close: () => closeServer(server),
    setFaults(partial) {
      faults = { ...faults, ...partial };
      if (partial.linkDownAfterBytes !== undefined) {
        link.carried = 0;
        link.down = false;
      }
    },
    stats() {
      return { ...stats };
    },
    resetStats() {
      stats = zeroStats();
    },
  };
}
