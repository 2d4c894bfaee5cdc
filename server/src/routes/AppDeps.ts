import type { Logger } from 'pino';
import type { Config } from '../config';
import type { OssStorage } from '../storage/ossStorage';
import type { Store } from '../store/Store';
import type { CredentialCache } from '../sts/cachedCredentials';
import type { WechatSession } from '../wechat/code2Session';

/** Everything the API uses, built by `main.ts` (or a test) and passed in: no module-level state. */
export interface AppDeps {
  config: Pick<Config, 'cloud' | 'oss' | 'limits'>;
  store: Store;
  storage: OssStorage;
  credentials: CredentialCache;
  code2Session: (code: string) => Promise<WechatSession>;
  now: () => Date;
  randomBytes: (size: number) => Buffer;
  logger: Logger;
  /** Reachability probes for /healthz beyond the store and OSS. */
  probes: { sts: () => Promise<unknown>; wechat: () => Promise<unknown> };
}
