import type { HandlerContext, HandlerRequest } from '../handlerContext';
import { propertiesFromHeaders } from '../objectProperties';
import { checkObjectKey } from '../verifyPostObject';
import { fileAlreadyExistsFor } from './multipartErrors';
import { initiateMultipartUploadXml } from './multipartXml';
import { isTrue, sendXml } from './uploadOfRequest';

/**
 * InitiateMultipartUpload, `POST /key?uploads`
 * (https://help.aliyun.com/en/oss/developer-reference/initiatemultipartupload): Content-Type,
 * Cache-Control, Content-Disposition, Content-Encoding, Expires and `x-oss-meta-*` are kept for
 * the object the upload completes into; an existing object is untouched. With
 * `x-oss-forbid-overwrite: true` an object already at the key is FileAlreadyExists now, rather than
 * after every part has been sent. Completion checks its own header (0042-00000214, the one OSS
 * documents for it), so a client must send it there too.
 */
export async function handleInitiateMultipartUpload(ctx: HandlerContext, request: HandlerRequest): Promise<void> {
  const { bucket, key, headers } = request;
  checkObjectKey(key);
  const props = propertiesFromHeaders(headers);
  if (isTrue(headers['x-oss-forbid-overwrite']) && (await ctx.store.head(bucket, key))) throw fileAlreadyExistsFor(key, undefined);
  request.body.resume();
  const upload = await ctx.multipart.initiate(bucket, key, props, ctx.now());
  sendXml(request, initiateMultipartUploadXml(bucket, key, upload.uploadId, request.query['encoding-type'] === 'url'));
}
