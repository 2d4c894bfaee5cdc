import type { HandlerContext, HandlerRequest } from '../handlerContext';
import { compareUploads, listUploadsPage } from './multipartPages';
import { listMultipartUploadsXml } from './multipartXml';
import { sendXml } from './uploadOfRequest';

/**
 * ListMultipartUploads, `GET /?uploads` with `prefix`, `delimiter`, `key-marker`,
 * `upload-id-marker` and `max-uploads` (https://help.aliyun.com/en/oss/developer-reference/listmultipartuploads):
 * the bucket's unfinished uploads by key, then by age.
 */
export async function handleListMultipartUploads(ctx: HandlerContext, request: HandlerRequest): Promise<void> {
  const uploads = (await ctx.multipart.list(request.bucket)).sort(compareUploads);
  const page = listUploadsPage(uploads, request.query);
  sendXml(request, listMultipartUploadsXml(request.bucket, page, request.query['encoding-type'] === 'url'));
}
