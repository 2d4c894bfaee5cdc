import { deleteObject, getObject, listObjects, putObject, RESPONSE_OVERRIDES } from './handleObjectRequest';
import { handlePostObject } from './handlePostObject';
import { LIST_QUERY_NAMES } from './listObjectsXml';
import { MULTIPART_OPERATIONS } from './multipart/multipartOperations';
import { OssOperation, signed } from './operationTable';

export type { OssOperation } from './operationTable';

/**
 * Every operation the emulator implements, and what each reads (see resolveOperation). A request
 * for anything else is answered 501 NotImplemented before it is authenticated or its body read.
 * A GET with `x-oss-process` answers the rendered image (sendProcessedObject). PostObject
 * authenticates by its form, not by a header.
 */
export const OSS_OPERATIONS: readonly OssOperation[] = [
  {
    name: 'GetObject',
    method: 'GET',
    target: 'object',
    queryParams: [...Object.keys(RESPONSE_OVERRIDES), 'x-oss-process'],
    handle: signed('GET', (ctx, request) => getObject(ctx, request, false)),
  },
  { name: 'HeadObject', method: 'HEAD', target: 'object', handle: signed('HEAD', (ctx, request) => getObject(ctx, request, true)) },
  { name: 'PutObject', method: 'PUT', target: 'object', ossHeaders: ['x-oss-meta-*', 'x-oss-forbid-overwrite'], handle: signed('PUT', putObject) },
  { name: 'DeleteObject', method: 'DELETE', target: 'object', handle: signed('DELETE', deleteObject) },
  { name: 'ListObjects', method: 'GET', target: 'bucket', queryParams: LIST_QUERY_NAMES, handle: signed('GET', listObjects) },
  { name: 'ListObjects', method: 'HEAD', target: 'bucket', queryParams: LIST_QUERY_NAMES, handle: signed('HEAD', listObjects) },
  { name: 'PostObject', method: 'POST', target: 'bucket', handle: handlePostObject },
  ...MULTIPART_OPERATIONS,
];
