export { createMultipartStore } from './createMultipartStore';
export type { MultipartStore } from './createMultipartStore';
