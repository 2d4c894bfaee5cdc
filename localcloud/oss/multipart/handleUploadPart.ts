import { checkContentMd5 } from '../checkContentMd5';
import type { HandlerContext, HandlerRequest } from '../handlerContext';
import { parsePartNumber } from './multipartRules';
import { uploadOfRequest } from './uploadOfRequest';

/** OSS's largest part (https://help.aliyun.com/en/oss/user-guide/0017-00000219). */
export const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024;

/**
 * UploadPart, `PUT /key?partNumber=N&uploadId=ID` (https://help.aliyun.com/en/oss/developer-reference/uploadpart):
 * the body streams to a temp file (MD5 and CRC-64 on the way), then replaces any part of the same
 * number. The answer's ETag is the part's MD5; the size rule waits for completion, when OSS first
 * knows which part is last.
 */
export async function handleUploadPart(ctx: HandlerContext, request: HandlerRequest): Promise<void> {
  const { bucket, headers, query, res } = request;
  ctx.stats.uploadParts += 1;
  const partNumber = parsePartNumber(query.partNumber ?? '');
  // Refused before a byte is stored; checked again when the part is moved into the upload.
  const upload = await uploadOfRequest(ctx, request);
  const temp = await ctx.store.receive(bucket, request.body, {
    maxBytes: MAX_PART_BYTES,
    onBytes: (n) => {
      ctx.stats.bytesReceived += n;
    },
  });
  await checkContentMd5(temp, headers['content-md5']);
  const part = await ctx.multipart.putPart(bucket, upload.uploadId, partNumber, temp, ctx.now());
  res.writeHead(200, { ETag: `"${part.etag}"`, 'x-oss-hash-crc64ecma': part.crc64, 'Content-Length': '0' });
  res.end();
}
