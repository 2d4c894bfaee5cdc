export { createMultipartStore } from './createMultipartStore';
export type { MultipartStore } from './createMultipartStore';
export { MULTIPART_OPERATIONS } from './multipartOperations';
