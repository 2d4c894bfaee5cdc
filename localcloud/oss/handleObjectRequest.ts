import { pipeline } from 'node:stream/promises';
import { listObjectsParams, listObjectsXml } from './listObjectsXml';
import { checkContentMd5 } from './checkContentMd5';
import type { StoredObject } from './createObjectStore';
import type { HandlerContext, HandlerRequest } from './handlerContext';
import { propertiesFromHeaders } from './objectProperties';
import { fileAlreadyExists, noSuchKey, OssError } from './ossError';
import { parseRange } from './parseRange';
import { sendProcessedObject } from './sendProcessedObject';
import { checkObjectKey } from './verifyPostObject';
import { verifyRequestAuth } from './verifyRequestAuth';

/** `response-*` query parameters of a GET override these answer headers, as in OSS. */
export const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

/** `x-oss-hash-crc64ecma` where the object has one (objects stored before the emulator kept it have none, as in OSS). */
function crcHeader(object: StoredObject): Record<string, string> {
  return object.crc64 === undefined ? {} : { 'x-oss-hash-crc64ecma': object.crc64 };
}

function objectHeaders(object: StoredObject): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': object.contentType,
    ETag: `"${object.etag}"`,
    'Last-Modified': new Date(object.lastModified).toUTCString(),
    'Accept-Ranges': 'bytes',
    'x-oss-object-type': object.objectType ?? 'Normal',
    'x-oss-storage-class': 'Standard',
    // The whole object's CRC, on range GETs too, as OSS answers.
    ...crcHeader(object),
  };
  for (const [name, value] of Object.entries(object.headers)) headers[name] = value;
  for (const [name, value] of Object.entries(object.userMeta)) headers[name] = value;
  return headers;
}

function etagMatches(condition: string, etag: string): boolean {
  return condition.split(',').some((c) => {
    const t = c.trim().replace(/^W\//, '');
    return t === '*' || t === `"${etag}"` || t === etag;
  });
}

export async function getObject(ctx: HandlerContext, request: HandlerRequest, headOnly: boolean): Promise<void> {
  const { bucket, key, headers, res } = request;
  const object = await ctx.store.head(bucket, key);
  if (!object) throw noSuchKey(key);
  if (!headOnly && request.query['x-oss-process'] !== undefined) return sendProcessedObject(ctx, request, object);
  const answer = objectHeaders(object);
  if (headers['if-match'] && !etagMatches(headers['if-match'], object.etag)) {
    throw new OssError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.', { Condition: 'If-Match' }, '0017-00001001');
  }
  if (headers['if-none-match'] && etagMatches(headers['if-none-match'], object.etag)) {
    res.writeHead(304, { ETag: answer.ETag, 'Last-Modified': answer['Last-Modified'] });
    res.end();
    return;
  }
  if (!headOnly) {
    for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
      if (request.query[param] !== undefined) answer[header] = request.query[param];
    }
  }
  const range = parseRange(headers.range, object.sizeBytes);
  if (range === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${object.sizeBytes}`);
    throw new OssError(416, 'InvalidRange', 'The requested range cannot be satisfied', { RangeRequested: headers.range ?? '', ActualObjectSize: String(object.sizeBytes) });
  }
  const status = range ? 206 : 200;
  const length = range ? range.end - range.start + 1 : object.sizeBytes;
  if (range) answer['Content-Range'] = `bytes ${range.start}-${range.end}/${object.sizeBytes}`;
  answer['Content-Length'] = String(length);
  if (headOnly || length === 0) {
    res.writeHead(status, answer);
    res.end();
    return;
  }
  const opened = await ctx.store.openRead(bucket, key, range);
  if (!opened) throw noSuchKey(key);
  res.writeHead(status, answer);
  // A client that goes away mid-download is not an error of ours.
  await pipeline(opened.stream, res).catch(() => undefined);
}

export async function putObject(ctx: HandlerContext, request: HandlerRequest): Promise<void> {
  const { bucket, key, headers, res } = request;
  ctx.stats.puts += 1;
  checkObjectKey(key);
  const props = propertiesFromHeaders(headers);
  const forbidOverwrite = (headers['x-oss-forbid-overwrite'] ?? '').toLowerCase() === 'true';
  if (forbidOverwrite && (await ctx.store.head(bucket, key))) throw fileAlreadyExists(key);
  const temp = await ctx.store.receive(bucket, request.body, {
    onBytes: (n) => {
      ctx.stats.bytesReceived += n;
    },
  });
  await checkContentMd5(temp, headers['content-md5']);
  const object = await ctx.store.commit(bucket, key, temp, props, { forbidOverwrite, now: ctx.now(), etag: temp.md5Hex.toUpperCase() });
  ctx.stats.objectsWritten += 1;
  res.writeHead(200, { ETag: `"${object.etag}"`, ...crcHeader(object), 'Content-Length': 0 });
  res.end();
}

export async function listObjects(ctx: HandlerContext, request: HandlerRequest): Promise<void> {
  const params = listObjectsParams(request.query);
  const xml = listObjectsXml(request.bucket, await ctx.store.list(request.bucket), params);
  request.res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) });
  request.res.end(xml);
}

export async function deleteObject(ctx: HandlerContext, request: HandlerRequest): Promise<void> {
  await ctx.store.remove(request.bucket, request.key);
  request.res.writeHead(204);
  request.res.end();
}

/** Checks a V4 Authorization header or presigned query, rebuilt from the request as it arrived. */
export function authorizeRequest(ctx: HandlerContext, request: HandlerRequest, method: string): void {
  verifyRequestAuth({
    method,
    bucket: request.bucket,
    key: request.key,
    query: request.query,
    headers: request.headers,
    region: ctx.region,
    now: ctx.now(),
    secretFor: ctx.secretFor,
  });
}
