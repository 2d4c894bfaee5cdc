import type { HandlerContext, HandlerRequest } from '../handlerContext';
import { listPartsPage } from './multipartPages';
import { listPartsXml } from './multipartXml';
import { sendXml, uploadOfRequest } from './uploadOfRequest';

/**
 * ListParts, `GET /key?uploadId=ID` with `max-parts` and `part-number-marker`
 * (https://help.aliyun.com/en/oss/developer-reference/listparts): the parts held, by ascending
 * part number — what a client resuming an upload asks OSS for.
 */
export async function handleListParts(ctx: HandlerContext, request: HandlerRequest): Promise<void> {
  const upload = await uploadOfRequest(ctx, request);
  const page = listPartsPage(await ctx.multipart.parts(request.bucket, upload.uploadId), request.query);
  sendXml(request, listPartsXml(request.bucket, upload, page, request.query['encoding-type'] === 'url'));
}
