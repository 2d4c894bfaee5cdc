import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGuardedServer } from '../createGuardedServer';
import { closeServer, listenOn } from '../httpServerLifecycle';
import { issueStsCredentials } from '../stsTokens';
import { parseQueryPairs } from './acs3Signature';
import { assumeRoleResponseBody, formatRequestId, stsErrorBody } from './assumeRoleResponse';
import { createNonceRegistry } from './createNonceRegistry';
import { stsErrors, type StsError } from './stsErrors';
import { DEFAULT_DURATION_SEC, validateAssumeRole } from './validateAssumeRole';
import { verifyAcs3Request } from './verifyAcs3Request';

/** pino's call shape, so the app's logger can be passed as is. */
export interface StsEmulatorLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface StsEmulatorOptions {
  /** AccessKeyId → AccessKeySecret of the RAM users allowed to call AssumeRole. */
  accessKeys: Readonly<Record<string, string>>;
  /** Shared with the OSS emulator, which checks the issued credentials with it. */
  sharedSecret: string;
  /** Roles that exist: a list, a pattern, or undefined for any well-formed role ARN. */
  roleArns?: readonly string[] | RegExp;
  /** The role's maximum session duration; default 3600. */
  maxDurationSec?: number;
  /**
   * How far `x-acs-date` may be from the emulator's clock (default 900, as the service). The SDK
   * stamps requests with the real time, so a test that moves `now` far away raises this
   * (Infinity turns the check off).
   */
  maxRequestSkewSec?: number;
  now?: () => Date;
  randomBytes?: (size: number) => Buffer;
  logger?: StsEmulatorLogger;
}

export interface StsEmulatorStats {
  /** AssumeRole requests received, whatever their outcome. */
  assumeRoleCalls: number;
  /** Credentials handed out. */
  credentialsIssued: number;
}

export interface StsEmulator {
  /** `endpoint` is `host:port`, the form the SDK's Config takes. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number; endpoint: string }>;
  close(): Promise<void>;
  stats(): StsEmulatorStats;
  resetStats(): void;
}

const API_VERSION = '2015-04-01';
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REMEMBERED_NONCES = 100_000;

/** The local Alibaba Cloud STS: AssumeRole over HTTP with V3 (ACS3-HMAC-SHA256) signatures. */
export function createStsEmulator(options: StsEmulatorOptions): StsEmulator {
  const now = options.now ?? (() => new Date());
  const randomBytes = options.randomBytes ?? cryptoRandomBytes;
  const maxDurationSec = options.maxDurationSec ?? DEFAULT_DURATION_SEC;
  const maxRequestSkewSec = options.maxRequestSkewSec ?? 900;
  const nonces = createNonceRegistry({ maxEntries: MAX_REMEMBERED_NONCES });
  let stats: StsEmulatorStats = { assumeRoleCalls: 0, credentialsIssued: 0 };

  const send = (res: ServerResponse, status: number, requestId: string, body: object) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json;charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'x-acs-request-id': requestId,
    });
    res.end(text);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = formatRequestId(randomBytes(16));
    const hostId = req.headers.host ?? 'sts.aliyuncs.com';
    const reject = (error: StsError, fields: object = {}) => {
      options.logger?.warn({ requestId, code: error.code, status: error.status, ...fields }, 'STS emulator rejected a request');
      send(res, error.status, requestId, stsErrorBody(error, requestId, hostId));
    };

    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const rawQuery = q < 0 ? '' : target.slice(q + 1);
    const method = req.method ?? 'GET';

    const body = await readBody(req, MAX_BODY_BYTES);
    if (path !== '/') return reject(stsErrors.actionNotFound(), { path });
    if (method !== 'GET' && method !== 'POST') return reject(stsErrors.unsupportedMethod(), { method });
    if (body === undefined) return reject(stsErrors.bodyTooLarge());

    const action = req.headers['x-acs-action'] ?? new URLSearchParams(rawQuery).get('Action');
    if (action !== 'AssumeRole') return reject(stsErrors.actionNotFound(), { action });
    stats.assumeRoleCalls += 1;
    const version = req.headers['x-acs-version'] ?? new URLSearchParams(rawQuery).get('Version');
    if (version !== API_VERSION) return reject(stsErrors.invalidVersion(), { version });

    const verified = verifyAcs3Request(
      { method, path, rawQuery, headers: req.headersDistinct, body },
      { secretFor: (id) => (Object.hasOwn(options.accessKeys, id) ? options.accessKeys[id] : undefined), now: now(), maxSkewSec: maxRequestSkewSec },
    );
    if (!verified.ok) return reject(verified.error);

    if (verified.nonce !== undefined) {
      // Remembered while a request signed at that time could still pass the freshness check.
      const expiresAtMs = verified.signedAt.getTime() + maxRequestSkewSec * 1000;
      if (!nonces.claim(`${verified.accessKeyId}\n${verified.nonce}`, expiresAtMs, now().getTime())) {
        return reject(stsErrors.nonceUsed(), { accessKeyId: verified.accessKeyId });
      }
    }

    // RPC parameters may come in the query or in a form body; the query wins a clash.
    const params = new Map<string, string>();
    let formPairs: Array<[string, string]> = [];
    if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      try {
        formPairs = parseQueryPairs(body.toString('utf8'));
      } catch {
        return reject(stsErrors.malformedQuery());
      }
    }
    for (const [name, value] of [...verified.query, ...formPairs]) {
      if (!params.has(name)) params.set(name, value);
    }

    const checked = validateAssumeRole(params, { roleArns: options.roleArns, maxDurationSec });
    if (!checked.ok) return reject(checked.error, { accessKeyId: verified.accessKeyId });
    const { roleArn, roleSessionName, durationSec } = checked.value;

    const credentials = issueStsCredentials({ sharedSecret: options.sharedSecret, now: now(), durationSec, randomBytes, roleArn });
    stats.credentialsIssued += 1;
    options.logger?.info(
      { requestId, caller: verified.accessKeyId, roleArn, roleSessionName, accessKeyId: credentials.accessKeyId, expiration: credentials.expiration.toISOString() },
      'STS emulator issued credentials',
    );
    send(res, 200, requestId, assumeRoleResponseBody({ requestId, roleArn, roleSessionName, credentials }));
  }

  const server = createGuardedServer(handle, {
    renderError: (problem, status) => {
      const requestId = formatRequestId(randomBytes(16));
      const error: StsError =
        problem === 'internal'
          ? { status: 500, code: 'InternalError', message: 'The request processing has failed due to some unknown error.' }
          : stsErrors.malformedRequest(status);
      return { status: error.status, contentType: 'application/json;charset=utf-8', body: JSON.stringify(stsErrorBody(error, requestId, 'sts.aliyuncs.com')) };
    },
    onError: (err) => options.logger?.warn({ err }, 'STS emulator failed on a request'),
  });

  return {
    async listen(port = 0, host = '127.0.0.1') {
      const bound = await listenOn(server, port, host);
      return { ...bound, endpoint: new URL(bound.url).host };
    },
    close: () => closeServer(server),
    stats: () => ({ ...stats }),
    resetStats() {
      stats = { assumeRoleCalls: 0, credentialsIssued: 0 };
    },
  };
}

/** The whole body, or undefined past `limit` bytes (the rest is drained, not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });
}
