import { buffer } from 'node:stream/consumers';
import type { StoredObject } from './createObjectStore';
import type { HandlerContext, HandlerRequest } from './handlerContext';
import { noSuchKey, OssError } from './ossError';
import { parseOssProcess } from './parseOssProcess';
import { MAX_PROCESS_SOURCE_BYTES, renderOssProcess } from './renderOssProcess';

/** A GET with `x-oss-process`: the object rendered as asked (thumbnails in local mode are small, as on OSS). */
export async function sendProcessedObject(ctx: HandlerContext, request: HandlerRequest, object: StoredObject): Promise<void> {
  const process = parseOssProcess(request.query['x-oss-process'] ?? '');
  let source = Buffer.alloc(0);
  if (process.kind === 'image') {
    if (object.sizeBytes > MAX_PROCESS_SOURCE_BYTES) throw new OssError(400, 'ImageTooLarge', `The source image is larger than ${MAX_PROCESS_SOURCE_BYTES} bytes.`);
    const opened = await ctx.store.openRead(request.bucket, request.key);
    if (!opened) throw noSuchKey(request.key);
    source = await buffer(opened.stream);
  }
  const rendered = await renderOssProcess(process, source, object.contentType);
  request.res.writeHead(200, {
    'Content-Type': rendered.contentType,
    'Content-Length': String(rendered.body.length),
    'Last-Modified': new Date(object.lastModified).toUTCString(),
  });
  request.res.end(rendered.body);
}
