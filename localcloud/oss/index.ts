export { createOssEmulator } from './createOssEmulator';
export type { OssEmulator, OssEmulatorOptions } from './createOssEmulator';
export type { OssEmulatorStats } from './handlerContext';
export { NO_FAULTS, ossFaultsFromEnv } from './ossFaults';
export type { OssFaults } from './ossFaults';
