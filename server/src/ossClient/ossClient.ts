import { presignUrl, uriEncode } from '../../../oss-signer';
import type { CredentialCache } from '../sts/cachedCredentials';
import { bucketUrl, objectUrl } from './bucketUrl';
import { createSignedOssHttp, headerOf } from './signedOssHttp';

export interface ObjectHead {
  sizeBytes: number;
  /** Lower-case hex without quotes: the content MD5 for a simple upload. */
  etag: string;
  contentType?: string;
  /** Every response header, lower-case names: what the object carries beyond its bytes is judged from these. */
  headers: Readonly<Record<string, string>>;
}

export interface OssClient {
  readonly bucket: string;
  /** The object's size and ETag, or undefined when it does not exist. */
  headObject(key: string): Promise<ObjectHead | undefined>;
  deleteObject(key: string): Promise<void>;
  /**
   * A presigned GET URL for phones (public endpoint), valid `expiresInSec` but never past the
   * credentials it carries; `expiresAt` is the moment it really dies.
   */
  presignGet(key: string, expiresInSec: number, query?: Record<string, string>): Promise<PresignedUrl>;
  /** The URL phones POST uploads to. */
  uploadHost(): string;
  /** Answers when OSS answers this server's signed requests. */
  ping(): Promise<void>;
  /** Drops pooled connections (on shutdown). */
  close(): void;
}

export interface PresignedUrl {
  url: string;
  expiresAt: Date;
}

export interface OssClientOptions {
  bucket: string;
  region: string;
  /** Where this server reaches OSS. */
  endpoint: string;
  /** Where phones reach OSS (uploads and view URLs). */
  publicEndpoint: string;
  credentials: CredentialCache;
  now: () => Date;
  timeoutMs?: number;
}

/** The server's side of OSS: V4 header-signed HEAD/DELETE and presigned view URLs. */
export function createOssClient(options: OssClientOptions): OssClient {
  const oss = createSignedOssHttp({ bucket: options.bucket, region: options.region, credentials: options.credentials, now: options.now, timeoutMs: options.timeoutMs ?? 10_000 });
  const signedRequest = (method: 'HEAD' | 'DELETE', key: string) => oss.send({ method, endpoint: options.endpoint, key });

  return {
    bucket: options.bucket,
    async headObject(key) {
      const answer = await signedRequest('HEAD', key);
      if (answer.status === 404) return undefined;
      if (answer.status !== 200) throw oss.failure(answer, 'HEAD');
      const etag = (headerOf(answer, 'etag') ?? '').replace(/"/g, '').toLowerCase();
      const headers: Record<string, string> = {};
      for (const name of Object.keys(answer.headers)) headers[name] = headerOf(answer, name) ?? '';
      return { sizeBytes: Number(headerOf(answer, 'content-length')), etag, contentType: headerOf(answer, 'content-type'), headers };
    },
    async deleteObject(key) {
      const answer = await signedRequest('DELETE', key);
      if (answer.status >= 300 && answer.status !== 404) throw oss.failure(answer, 'DELETE');
    },
    async presignGet(key, expiresInSec, query) {
      const credentials = await options.credentials.get();
      // x-oss-date has whole seconds: the URL lives from that second, and the token it carries
      // must still be valid when the URL is last used (the credential cache keeps it so; this cap
      // makes the promise true even if it did not).
      const signedAtMs = Math.floor(options.now().getTime() / 1000) * 1000;
      const lifeSec = Math.max(1, Math.min(expiresInSec, Math.floor((credentials.expiration.getTime() - signedAtMs) / 1000) - 1));
      const url = presignUrl({
        objectUrl: objectUrl(options.publicEndpoint, options.bucket, key),
        credentials,
        region: options.region,
        bucket: options.bucket,
        key,
        method: 'GET',
        at: new Date(signedAtMs),
        expiresInSec: lifeSec,
        query,
      });
      return { url, expiresAt: new Date(signedAtMs + lifeSec * 1000) };
    },
    uploadHost: () => bucketUrl(options.publicEndpoint, options.bucket),
    async ping() {
      // A signed HEAD of an object that need not exist: 404 proves OSS, the bucket and our credentials work.
      const answer = await signedRequest('HEAD', `healthz/${uriEncode('probe')}`);
      if (answer.status !== 404 && answer.status !== 200) throw oss.failure(answer, 'HEAD');
    },
    close: () => oss.close(),
  };
}
