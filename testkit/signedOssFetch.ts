import { OssCredentials, signRequestHeaders, uriEncode } from '../oss-signer';
import { TEST_ACCESS_KEY, TEST_BUCKET, TEST_REGION } from './startTestOssEmulator';

export interface SignedOssRequest {
  method: string;
  key: string;
  bucket?: string;
  /** `''` sends a bare name (`?acl`). */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  credentials?: OssCredentials;
  region?: string;
}

/**
 * A raw V4 header-signed request to an OSS endpoint, path style (`<endpoint>/<bucket>/<key>`), for
 * requests no SDK method sends as needed (sub-resources, odd headers). Answers the fetch Response.
 */
export function signedOssFetch(endpoint: string, request: SignedOssRequest): Promise<Response> {
  const bucket = request.bucket ?? TEST_BUCKET;
  const query = request.query ?? {};
  const headers = signRequestHeaders({
    method: request.method,
    bucket,
    key: request.key,
    query,
    headers: request.headers ?? {},
    credentials: request.credentials ?? TEST_ACCESS_KEY,
    region: request.region ?? TEST_REGION,
    at: new Date(),
  });
  const search = Object.entries(query)
    .map(([name, value]) => (value === '' ? uriEncode(name, false) : `${uriEncode(name, false)}=${uriEncode(value, false)}`))
    .join('&');
  const url = `${endpoint}/${bucket}/${uriEncode(request.key, true)}${search ? `?${search}` : ''}`;
  return fetch(url, { method: request.method, headers, body: request.body });
}

/** The Code, EC and RequestId of an OSS error body (or of the base64 `x-oss-err` header a HEAD carries). */
export function ossErrorFields(xml: string): { code?: string; ec?: string; requestId?: string; hostId?: string } {
  const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  return { code: field('Code'), ec: field('EC'), requestId: field('RequestId'), hostId: field('HostId') };
}
