/** The contract between the Mini Program and the API: types, and the values both sides must agree on. */
export * from './api';
export * from './errorCodes';
export * from './limits';
export * from './mediaTypes';
export * from './multipart';
export * from './objectKey';
export * from './policyForm';
export * from './routes';
