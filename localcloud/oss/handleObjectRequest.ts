import { rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { LIST_QUERY_NAMES, listObjectsParams, listObjectsXml } from './listObjectsXml';
import type { StoredObject } from './createObjectStore';
import type { HandlerContext, HandlerRequest } from './handlerContext';
import { propertiesFromHeaders } from './objectProperties';
import { fileAlreadyExists, noSuchKey, OssError } from './ossError';
import { parseRange } from './parseRange';
import { sendProcessedObject } from './sendProcessedObject';
import { streamToTempFile } from './streamToTempFile';
import { checkObjectKey } from './verifyPostObject';
import { verifyRequestAuth } from './verifyRequestAuth';

/** `response-*` query parameters of a GET override these answer headers, as in OSS. */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

export const methodNotAllowed = (method: string): OssError =>
  new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: method, ResourceType: 'Object' });

function objectHeaders(object: StoredObject): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': object.contentType,
    ETag: `"${object.etag}"`,
    'Last-Modified': new Date(object.lastModified).toUTCString(),
    'Accept-Ranges': 'bytes',
    'x-oss-object-type': 'Normal',
    'x-oss-storage-class': 'Standard',
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

async function getObject(ctx: HandlerContext, request: HandlerRequest, headOnly: boolean): Promise<void> {
  const { bucket, key, headers, res } = request;
  const object = await ctx.store.head(bucket, key);
  if (!object) throw noSuchKey(key);
  if (!headOnly && request.query['x-oss-process'] !== undefined) return sendProcessedObject(ctx, request, object);
  const answer = objectHeaders(object);
  if (headers['if-match'] && !etagMatches(headers['if-match'], object.etag)) {
    throw new OssError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.', { Condition: 'If-Match' });
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

async function putObject(ctx: HandlerContext, request: HandlerRequest): Promise<void> {
  const { bucket, key, headers, res } = request;
  ctx.stats.puts += 1;
  checkObjectKey(key);
  const props = propertiesFromHeaders(headers);
  const forbidOverwrite = (headers['x-oss-forbid-overwrite'] ?? '').toLowerCase() === 'true';
  if (forbidOverwrite && (await ctx.store.head(bucket, key))) throw fileAlreadyExists(key);
  const temp = await streamToTempFile(request.body, ctx.store.tempDir(bucket), {
    onBytes: (n) => {
      ctx.stats.bytesReceived += n;
    },
  });
  const contentMd5 = headers['content-md5'];
  if (contentMd5 !== undefined && contentMd5 !== Buffer.from(temp.md5Hex, 'hex').toString('base64')) {
    await rm(temp.path, { force: true });
    throw new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', { 'Content-MD5': contentMd5 });
  }
  const object = await ctx.store.commit(bucket, key, temp, props, { forbidOverwrite, now: ctx.now() });
  ctx.stats.objectsWritten += 1;
  res.writeHead(200, { ETag: `"${object.etag}"`, 'Content-Length': 0 });
  res.end();
}

async function listObjects(ctx: HandlerContext, request: HandlerRequest, res: ServerResponse): Promise<void> {
  const unsupported = Object.keys(request.query).find((name) => !name.startsWith('x-oss-') && !(LIST_QUERY_NAMES as readonly string[]).includes(name));
  if (unsupported !== undefined) {
    throw new OssError(501, 'NotImplemented', `The local OSS emulator does not implement the "${unsupported}" bucket operation.`);
  }
  const params = listObjectsParams(request.query);
  const xml = listObjectsXml(request.bucket, await ctx.store.list(request.bucket), params);
  res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) });
  res.end(xml);
}

/**
 * GET/HEAD/PUT/DELETE, authorised by a V4 Authorization header or presigned query rebuilt from the
 * request as it arrived. A GET with `x-oss-process` answers the rendered image (sendProcessedObject).
 */
export async function handleObjectRequest(ctx: HandlerContext, request: HandlerRequest, method: 'GET' | 'HEAD' | 'PUT' | 'DELETE'): Promise<void> {
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
  if (request.key === '') {
    if (method === 'GET' || method === 'HEAD') return listObjects(ctx, request, request.res);
    throw new OssError(405, 'MethodNotAllowed', 'The local OSS emulator serves fixed buckets; bucket writes are not supported.', { Method: method, ResourceType: 'Bucket' });
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      return getObject(ctx, request, method === 'HEAD');
    case 'PUT':
      return putObject(ctx, request);
    case 'DELETE':
      await ctx.store.remove(request.bucket, request.key);
      request.res.writeHead(204);
      request.res.end();
      return;
  }
}
