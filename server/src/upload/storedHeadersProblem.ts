/**
 * The headers a HeadObject of one of our objects may carry besides `Content-Type`, and the values
 * allowed where the value matters. They are OSS's own: its common response headers
 * (https://www.alibabacloud.com/help/en/oss/developer-reference/common-http-headers) and those
 * HeadObject adds (https://help.aliyun.com/en/oss/developer-reference/headobject). Everything else
 * was chosen by whoever uploaded: `Content-Encoding`, `Content-Disposition`, `Cache-Control`,
 * `Expires`, `Content-Language`, `x-oss-meta-*`, `x-oss-tagging-count`, OSS's other custom headers.
 * The product's form sets none of them (typings/policyForm.ts), so an allow-list, not a deny-list:
 * a header OSS adds tomorrow is refused until it is judged harmless and listed here.
 */
const OSS_OWN_HEADERS: Readonly<Record<string, readonly string[] | 'any'>> = {
  'accept-ranges': 'any',
  connection: 'any',
  'content-length': 'any',
  'content-md5': 'any',
  date: 'any',
  etag: 'any',
  'keep-alive': 'any',
  'last-modified': 'any',
  server: 'any',
  vary: 'any',
  'access-control-allow-origin': 'any',
  'access-control-allow-methods': 'any',
  'access-control-allow-headers': 'any',
  'access-control-expose-headers': 'any',
  'access-control-max-age': 'any',
  'x-oss-request-id': 'any',
  'x-oss-server-time': 'any',
  'x-oss-hash-crc64ecma': 'any',
  'x-oss-version-id': 'any',
  'x-oss-server-side-encryption': 'any',
  'x-oss-server-side-encryption-key-id': 'any',
  'x-oss-server-side-data-encryption': 'any',
  // A form upload makes a Normal object; Appendable objects can change under a recorded ETag.
  'x-oss-object-type': ['Normal'],
  // An uploader may ask for Archive storage, which cannot be read until restored: only classes served at once.
  'x-oss-storage-class': ['Standard', 'IA'],
};

/**
 * Why the stored object is not one the product would have made, or undefined when it is: its
 * `Content-Type` must be exactly the one its key's extension is sent with (`MEDIA_TYPES`), and
 * every other header must be OSS's own.
 */
export function storedHeadersProblem(headers: Readonly<Record<string, string>>, expectedContentType: string): string | undefined {
  const contentType = headers['content-type'];
  if (contentType !== expectedContentType) return `the object is stored as ${JSON.stringify(contentType ?? '')}, not ${expectedContentType}`;
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'content-type') continue;
    const allowed = Object.prototype.hasOwnProperty.call(OSS_OWN_HEADERS, name) ? OSS_OWN_HEADERS[name] : undefined;
    if (!allowed) return `the object carries a ${name} header the album does not set`;
    if (allowed !== 'any' && !allowed.includes(value)) return `the object's ${name} is ${JSON.stringify(value)}`;
  }
  return undefined;
}
