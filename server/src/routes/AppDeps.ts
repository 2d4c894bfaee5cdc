import type { Logger } from 'pino';
import type { Config } from '../config';
import type { OssClient } from '../ossClient/ossClient';
import type { RateLimiters } from '../rateLimits/createRateLimiters';
import type { Store } from '../store/Store';
import type { CredentialCache } from '../sts/cachedCredentials';
import type { MultipartUploads } from '../upload/multipart/multipartUploads';
import type { WechatSession } from '../wechat/code2Session';

/** Everything the API uses, built by `startApi.ts` (or a test) and passed in: no module-level state. */
export interface AppDeps {
  config: Pick<Config, 'cloud' | 'oss' | 'limits' | 'rateLimits' | 'trustProxy'>;
  store: Store;
  ossClient: OssClient;
  multipartUploads: MultipartUploads;
  credentials: CredentialCache;
  code2Session: (code: string) => Promise<WechatSession>;
  now: () => Date;
  randomBytes: (size: number) => Buffer;
  logger: Logger;
  /** The request budgets, built where the app is assembled (in memory, or shared through Redis). */
  rateLimiters: RateLimiters;
  /** Reachability probes for /healthz beyond the store and OSS. */
  probes: { sts: () => Promise<unknown>; wechat: () => Promise<unknown> };
}
