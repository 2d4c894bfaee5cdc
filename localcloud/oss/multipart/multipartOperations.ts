import { OssOperation, signed } from '../operationTable';
import { handleAbortMultipartUpload } from './handleAbortMultipartUpload';
import { handleCompleteMultipartUpload } from './handleCompleteMultipartUpload';
import { handleInitiateMultipartUpload } from './handleInitiateMultipartUpload';
import { handleListMultipartUploads } from './handleListMultipartUploads';
import { handleListParts } from './handleListParts';
import { handleUploadPart } from './handleUploadPart';

/**
 * The multipart operations of OSS the emulator implements, in the form of the emulator's operation
 * table (see resolveOperation; each handler links its operation's page). What a request carries
 * beyond what its operation reads is 501 NotImplemented there, e.g. `x-oss-storage-class` on an
 * initiation, rather than silently ignored.
 */
export const MULTIPART_OPERATIONS: readonly OssOperation[] = [
  {
    name: 'InitiateMultipartUpload',
    method: 'POST',
    target: 'object',
    subResources: ['uploads'],
    queryParams: ['encoding-type'],
    ossHeaders: ['x-oss-meta-*', 'x-oss-forbid-overwrite'],
    handle: signed('POST', handleInitiateMultipartUpload),
  },
  {
    name: 'UploadPart',
    method: 'PUT',
    target: 'object',
    subResources: ['partNumber', 'uploadId'],
    // `uploadId` and `partNumber` are signed like any query parameter, so a URL presigned for one
    // part of one upload serves no other. ali-oss's multipartUpload sends the object's headers (x-oss-meta-*, …) with every part; OSS
    // ignores them there (they were fixed at initiation), and so does the emulator.
    ossHeaders: ['x-oss-meta-*', 'x-oss-forbid-overwrite'],
    handle: signed('PUT', handleUploadPart),
  },
  {
    name: 'CompleteMultipartUpload',
    method: 'POST',
    target: 'object',
    subResources: ['uploadId'],
    queryParams: ['encoding-type'],
    // x-oss-meta-*: sent again by ali-oss's multipartUpload, ignored as on UploadPart.
    ossHeaders: ['x-oss-forbid-overwrite', 'x-oss-complete-all', 'x-oss-meta-*'],
    handle: signed('POST', handleCompleteMultipartUpload),
  },
  {
    name: 'ListParts',
    method: 'GET',
    target: 'object',
    subResources: ['uploadId'],
    queryParams: ['max-parts', 'part-number-marker', 'encoding-type'],
    handle: signed('GET', handleListParts),
  },
  {
    name: 'ListMultipartUploads',
    method: 'GET',
    target: 'bucket',
    subResources: ['uploads'],
    queryParams: ['prefix', 'delimiter', 'key-marker', 'upload-id-marker', 'max-uploads', 'encoding-type'],
    handle: signed('GET', handleListMultipartUploads),
  },
  { name: 'AbortMultipartUpload', method: 'DELETE', target: 'object', subResources: ['uploadId'], handle: signed('DELETE', handleAbortMultipartUpload) },
];
