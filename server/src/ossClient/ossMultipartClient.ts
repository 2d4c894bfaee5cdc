import { createHash } from 'node:crypto';
import { presignUrl } from '../../../oss-signer';
import { MULTIPART } from '../../../typings';
import type { CredentialCache } from '../sts/cachedCredentials';
import { objectUrl } from './bucketUrl';
import type { HttpAnswer } from './keepAliveHttp';
import { completeMultipartXml, ListedPart, parseInitiateResult, parseListParts } from './multipartXml';
import { createSignedOssHttp, ossErrorCode } from './signedOssHttp';

export interface OssMultipartClient {
  /** Starts an upload on `key`; OSS refuses to complete it over an existing object. */
  initiate(key: string, contentType: string): Promise<string>;
  /** Every part OSS holds, ascending; undefined when OSS knows no such upload. */
  listParts(key: string, uploadId: string): Promise<ListedPart[] | undefined>;
  /** Completes with exactly these parts: the object exists afterwards unless OSS says why not. */
  complete(key: string, uploadId: string, parts: readonly ListedPart[]): Promise<'completed' | 'object_exists' | 'no_such_upload'>;
  /** Drops the upload's parts (never the object); an unknown upload is already gone. */
  abort(key: string, uploadId: string): Promise<void>;
  /** A presigned `PUT` for one part, at the public endpoint. */
  presignPart(key: string, uploadId: string, partNumber: number, expiresInSec: number): Promise<string>;
  /**
   * The MD5 of the object's bytes as OSS serves them, streamed from the internal endpoint: the
   * evidence a multipart object (whose ETag is no MD5) holds the bytes its key promises.
   */
  digestObject(key: string): Promise<{ md5: string; sizeBytes: number } | undefined>;
  close(): void;
}

export interface OssMultipartClientOptions {
  bucket: string;
  region: string;
  /** Where this server reaches OSS for small requests. */
  endpoint: string;
  /** Where this server reads whole objects (OSS's internal endpoint is free within the region). */
  internalEndpoint: string;
  /** Where phones send parts. */
  publicEndpoint: string;
  credentials: CredentialCache;
  now: () => Date;
  timeoutMs?: number;
}

type Query = Record<string, string>;

/**
 * Multipart upload on the server's side (https://help.aliyun.com/zh/oss/developer-reference/multipartupload):
 * V4 header-signed initiate, list, complete and abort; presigned part PUTs for phones.
 */
export function createOssMultipartClient(options: OssMultipartClientOptions): OssMultipartClient {
  const oss = createSignedOssHttp({ ...options, timeoutMs: options.timeoutMs ?? 30_000, maxBodyBytes: 4 * 1024 * 1024 });
  const call = (method: string, key: string, query: Query, headers: Record<string, string> = {}, body?: string): Promise<HttpAnswer> =>
    oss.send({ method, endpoint: options.endpoint, key, query, headers, body });
  const failure = oss.failure;

  return {
    async initiate(key, contentType) {
      const answer = await call('POST', key, { uploads: '' }, { 'content-type': contentType, 'x-oss-forbid-overwrite': 'true' });
      if (answer.status !== 200) throw failure(answer, 'InitiateMultipartUpload');
      return parseInitiateResult(answer.body);
    },
    async listParts(key, uploadId) {
      const parts: ListedPart[] = [];
      let marker = 0;
      for (;;) {
        const query: Query = { uploadId, 'max-parts': '1000', ...(marker ? { 'part-number-marker': String(marker) } : {}) };
        const answer = await call('GET', key, query);
        if (answer.status === 404 && ossErrorCode(answer) === 'NoSuchUpload') return undefined;
        if (answer.status !== 200) throw failure(answer, 'ListParts');
        const page = parseListParts(answer.body);
        parts.push(...page.parts);
        if (!page.isTruncated) return parts;
        marker = page.nextPartNumberMarker;
      }
    },
    async complete(key, uploadId, parts) {
      const body = completeMultipartXml(parts);
      const answer = await call('POST', key, { uploadId }, { 'content-type': 'application/xml', 'x-oss-forbid-overwrite': 'true', 'content-length': String(Buffer.byteLength(body)) }, body);
      if (answer.status === 200) return 'completed';
      if (answer.status === 409 && ossErrorCode(answer) === 'FileAlreadyExists') return 'object_exists';
      if (answer.status === 404 && ossErrorCode(answer) === 'NoSuchUpload') return 'no_such_upload';
      throw failure(answer, 'CompleteMultipartUpload');
    },
    async abort(key, uploadId) {
      const answer = await call('DELETE', key, { uploadId });
      if (answer.status !== 204 && answer.status !== 404) throw failure(answer, 'AbortMultipartUpload');
    },
    async presignPart(key, uploadId, partNumber, expiresInSec) {
      const credentials = await options.credentials.get();
      return presignUrl({
        objectUrl: objectUrl(options.publicEndpoint, options.bucket, key),
        credentials,
        region: options.region,
        bucket: options.bucket,
        key,
        method: 'PUT',
        at: options.now(),
        expiresInSec,
        query: { partNumber: String(partNumber), uploadId },
        // The phone sends exactly this (see MULTIPART.partContentType): signed, so OSS checks it.
        headers: { 'content-type': MULTIPART.partContentType },
      });
    },
    async digestObject(key) {
      const md5 = createHash('md5');
      let sizeBytes = 0;
      const answer = await oss.stream({ endpoint: options.internalEndpoint, key }, (chunk) => {
        md5.update(chunk);
        sizeBytes += chunk.length;
      });
      if (answer.status === 404) return undefined;
      if (answer.status !== 200) throw failure(answer, 'GET');
      return { md5: md5.digest('hex'), sizeBytes };
    },
    close: () => oss.close(),
  };
}
