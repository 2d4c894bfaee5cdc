export * from './signingKey';
export * from './canonicalRequest';
export * from './headerAuth';
export * from './presignUrl';
export * from './postPolicy';
