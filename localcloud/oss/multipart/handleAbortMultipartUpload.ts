import type { HandlerContext, HandlerRequest } from '../handlerContext';
import { requireUploadOfKey } from './uploadOfRequest';

/**
 * AbortMultipartUpload, `DELETE /key?uploadId=ID` (https://help.aliyun.com/en/oss/developer-reference/abortmultipartupload):
 * removes the upload and its parts — only those: an object already at the key is not touched.
 * An unknown, aborted or completed upload id is NoSuchUpload.
 */
export async function handleAbortMultipartUpload(ctx: HandlerContext, request: HandlerRequest): Promise<void> {
  const { bucket, key, query, res } = request;
  await ctx.multipart.withUpload(bucket, query.uploadId ?? '', async (upload) => {
    requireUploadOfKey(upload, key);
    await ctx.multipart.remove(bucket, upload.uploadId);
  });
  res.writeHead(204);
  res.end();
}
