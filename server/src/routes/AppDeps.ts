import type { Logger } from 'pino';
import type { Config } from '../config';
import { createRateLimiter, RateLimiter } from '../http/rateLimiter';
import type { OssClient } from '../ossClient/ossClient';
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
  /** Reachability probes for /healthz beyond the store and OSS. */
  probes: { sts: () => Promise<unknown>; wechat: () => Promise<unknown> };
}

/** Per-app request budgets (in memory, so each API instance keeps its own). */
export interface RateLimiters {
  loginPerIp: RateLimiter;
  loginPerUser: RateLimiter;
  signaturePerUser: RateLimiter;
  signaturePerIp: RateLimiter;
}

export function createRateLimiters(rates: Config['rateLimits'], now: () => Date): RateLimiters {
  const perMinute = (limit: number) => createRateLimiter({ limit, windowSec: 60, now });
  return {
    loginPerIp: perMinute(rates.loginPerIp),
    loginPerUser: perMinute(rates.loginPerUser),
    signaturePerUser: perMinute(rates.signaturePerUser),
    signaturePerIp: perMinute(rates.signaturePerIp),
  };
}
