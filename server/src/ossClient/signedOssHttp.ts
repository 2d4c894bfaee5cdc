import { canonicalQuery, signRequestHeaders } from '../../../oss-signer';
import { ApiError } from '../ApiError';
import type { CredentialCache } from '../sts/cachedCredentials';
import { objectUrl } from './bucketUrl';
import { createKeepAliveHttp, HttpAnswer } from './keepAliveHttp';

/**
 * OSS answered with an error, or (`ossStatus` 0) did not answer at all. Our storage is slow or
 * down: nothing the caller sent is wrong, and the same request may work soon, so it answers 503.
 */
export class OssRequestError extends ApiError {
  constructor(
    readonly ossStatus: number,
    readonly ossCode: string | undefined,
    detail: string,
  ) {
    super(503, 'storage_unavailable', 'storage is not answering; retry shortly', { headers: { 'Retry-After': '1' }, cause: new Error(detail) });
    this.name = 'OssRequestError';
  }
}

export interface SignedOssHttpOptions {
  bucket: string;
  region: string;
  credentials: CredentialCache;
  now: () => Date;
  timeoutMs: number;
  /** Error documents are small; bigger answers (a ListParts page) need more. */
  maxBodyBytes?: number;
}

export interface SignedRequest {
  method: string;
  /** Where this request goes: the endpoint the caller reaches OSS at. */
  endpoint: string;
  key: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

export interface SignedOssHttp {
  /** A V4 header-signed request over pooled keep-alive connections; OSS not answering is an `OssRequestError`. */
  send(request: SignedRequest): Promise<HttpAnswer>;
  /** A signed GET whose body goes to `onChunk` as it arrives (a 200's only). */
  stream(request: Pick<SignedRequest, 'endpoint' | 'key'>, onChunk: (chunk: Buffer) => void): Promise<HttpAnswer>;
  /** OSS's refusal as an `OssRequestError` naming the operation and OSS's code. */
  failure(answer: HttpAnswer, what: string): OssRequestError;
  close(): void;
}

/** One header's value, repeated ones joined. */
export function headerOf(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** OSS's error code from an error document's `<Code>`. */
export const ossErrorCode = (answer: HttpAnswer): string | undefined => /<Code>([^<]+)<\/Code>/.exec(answer.body)?.[1];

/** Signing, sending and reading OSS's failures, shared by the server's OSS clients. */
export function createSignedOssHttp(options: SignedOssHttpOptions): SignedOssHttp {
  const http = createKeepAliveHttp({ timeoutMs: options.timeoutMs, maxBodyBytes: options.maxBodyBytes });

  async function sign(request: SignedRequest) {
    const query = request.query ?? {};
    const credentials = await options.credentials.get();
    const url = `${objectUrl(request.endpoint, options.bucket, request.key)}${Object.keys(query).length ? `?${canonicalQuery(query)}` : ''}`;
    const headers = signRequestHeaders({ method: request.method, bucket: options.bucket, key: request.key, query, headers: request.headers ?? {}, credentials, region: options.region, at: options.now() });
    return { url, headers };
  }

  const unanswered = (method: string, error: unknown) =>
    new OssRequestError(0, undefined, `OSS ${method} did not answer: ${error instanceof Error ? error.message : String(error)}`);

  return {
    async send(request) {
      const { url, headers } = await sign(request);
      try {
        return await http.request(url, { method: request.method, headers, body: request.body });
      } catch (error) {
        throw unanswered(request.method, error);
      }
    },
    async stream(request, onChunk) {
      const { url, headers } = await sign({ ...request, method: 'GET' });
      try {
        return await http.stream(url, { headers }, onChunk);
      } catch (error) {
        throw unanswered('GET', error);
      }
    },
    failure(answer, what) {
      const code = ossErrorCode(answer) ?? headerOf(answer, 'x-oss-ec');
      return new OssRequestError(answer.status, code, `OSS ${what} answered ${answer.status}${code ? ` ${code}` : ''}`);
    },
    close: () => http.close(),
  };
}
