import { uriEncode } from '../../../oss-signer';

/**
 * The base URL of a bucket at an endpoint. Alibaba Cloud endpoints take the bucket as a sub-domain
 * (`https://bucket.oss-cn-hangzhou.aliyuncs.com`); an IP address or localhost (the local cloud, a
 * LAN address for phone preview) takes it as the first path segment.
 */
export function bucketUrl(endpoint: string, bucket: string): string {
  const url = new URL(endpoint);
  const hostIsAddress = url.hostname === 'localhost' || /^[\d.]+$/.test(url.hostname) || url.hostname.startsWith('[');
  if (hostIsAddress) return `${url.origin}/${bucket}`;
  return `${url.protocol}//${bucket}.${url.host}`;
}

/** The URL of an object: bucket URL plus the key, encoded with its slashes kept. */
export function objectUrl(endpoint: string, bucket: string, key: string): string {
  return `${bucketUrl(endpoint, bucket)}/${uriEncode(key, true)}`;
}
