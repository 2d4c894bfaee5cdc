import type { Readable } from 'node:stream';
import { uriEncode } from '../../../oss-signer';
import { combineCrc64 } from '../createCrc64';
import type { HandlerContext, HandlerRequest } from '../handlerContext';
import { checkObjectKey } from '../verifyPostObject';
import { completeAllWithBody, fileAlreadyExistsFor, malformedXml } from './multipartErrors';
import { ListedPart, multipartEtag, selectCompleteParts } from './multipartRules';
import { completeMultipartUploadXml } from './multipartXml';
import { parseCompleteMultipartUpload } from './parseCompleteMultipartUpload';
import { isTrue, requireUploadOfKey, sendXml } from './uploadOfRequest';

/** 10,000 parts listed with their ETags fit in well under 1 MiB; more is not a part list. */
const MAX_COMPLETE_BODY_BYTES = 2 * 1024 * 1024;

async function readBodyText(body: Readable, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) throw malformedXml(`The body is larger than ${maxBytes} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * CompleteMultipartUpload, `POST /key?uploadId=ID` with the XML part list
 * (https://help.aliyun.com/en/oss/developer-reference/completemultipartupload). The listed parts
 * are checked (multipartRules), then streamed one after another into a temp file — memory stays
 * flat whatever the object's size; the whole object's CRC-64 is combined from the parts' — which is
 * committed like any upload, with the multipart ETag and object type `Multipart`. Once the body is
 * read, a client that goes away does not stop it, as OSS documents.
 *
 * `x-oss-complete-all: yes` completes with every part held, in part-number order; the body must
 * then be empty (0042-00000216). With `x-oss-forbid-overwrite: true` on this request — what OSS
 * checks (https://help.aliyun.com/en/oss/user-guide/0042-00000214), not the initiation's header —
 * an object already at the key is FileAlreadyExists and the upload stays as it was.
 */
export async function handleCompleteMultipartUpload(ctx: HandlerContext, request: HandlerRequest): Promise<void> {
  const { bucket, key, headers, query } = request;
  checkObjectKey(key);
  const completeAll = (headers['x-oss-complete-all'] ?? '').toLowerCase() === 'yes';
  const text = await readBodyText(request.body, MAX_COMPLETE_BODY_BYTES);
  if (completeAll && text.trim() !== '') throw completeAllWithBody();
  const listed: ListedPart[] | undefined = completeAll ? undefined : parseCompleteMultipartUpload(text);

  const object = await ctx.multipart.withUpload(bucket, query.uploadId ?? '', async (upload) => {
    requireUploadOfKey(upload, key);
    const held = await ctx.multipart.parts(bucket, upload.uploadId);
    const parts = selectCompleteParts(upload.uploadId, listed ?? held, new Map(held.map((p) => [p.partNumber, p])));
    const forbidOverwrite = isTrue(headers['x-oss-forbid-overwrite']);
    if (forbidOverwrite && (await ctx.store.head(bucket, key))) throw fileAlreadyExistsFor(key, '0042-00000214');
    // Each part's CRC was computed as it arrived: the object's follows from them without a second pass.
    const known = parts.reduce((whole, part) => ({ sizeBytes: whole.sizeBytes + part.sizeBytes, crc64: combineCrc64(whole.crc64, part.crc64, part.sizeBytes) }), { sizeBytes: 0, crc64: '0' });
    const temp = await ctx.store.receiveKnown(bucket, ctx.multipart.readParts(bucket, upload.uploadId, parts), known);
    const committed = await ctx.store.commit(bucket, key, temp, upload.props, {
      forbidOverwrite,
      now: ctx.now(),
      etag: multipartEtag(parts.map((p) => p.etag)),
      objectType: 'Multipart',
    });
    await ctx.multipart.remove(bucket, upload.uploadId);
    return committed;
  });
  ctx.stats.objectsWritten += 1;

  const host = request.req.headers.host ?? `${bucket}.oss-${ctx.region}.aliyuncs.com`;
  const xml = completeMultipartUploadXml({
    location: `http://${host}/${uriEncode(key, true)}`,
    bucket,
    key,
    etag: object.etag,
    encodeUrl: query['encoding-type'] === 'url',
  });
  sendXml(request, xml, { ETag: `"${object.etag}"`, ...(object.crc64 !== undefined ? { 'x-oss-hash-crc64ecma': object.crc64 } : {}) });
}
