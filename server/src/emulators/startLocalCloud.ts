import path from 'node:path';
import type { Config } from '../config';
import { createOssEmulator, OssFaults } from './oss/createOssEmulator';
import { createStsEmulator } from './sts/createStsEmulator';
import { createWechatEmulator } from './wechat/createWechatEmulator';

export interface LocalCloud {
  oss: ReturnType<typeof createOssEmulator>;
  sts: ReturnType<typeof createStsEmulator>;
  wechat: ReturnType<typeof createWechatEmulator>;
  urls: { oss: string; sts: string; wechat: string };
  close(): Promise<void>;
}

export interface LocalCloudOptions {
  now?: () => Date;
  ossFaults?: Partial<OssFaults>;
  /** Port 0 everywhere picks free ports (tests); otherwise the configured ones. */
  ephemeralPorts?: boolean;
}

/**
 * The local OSS, STS and WeChat servers on 127.0.0.1, set up from the same configuration the API
 * reads: the STS emulator accepts exactly the configured key pair, OSS serves the configured bucket.
 */
export async function startLocalCloud(config: Config, options: LocalCloudOptions = {}): Promise<LocalCloud> {
  if (!config.accessKey) throw new Error('the local cloud needs the local access key pair (CLOUD=local)');
  const accessKeys = { [config.accessKey.id]: config.accessKey.secret };
  const oss = createOssEmulator({
    dataDir: path.join(config.dataDir, 'oss'),
    region: config.oss.region,
    buckets: [config.oss.bucket],
    accessKeys,
    stsSharedSecret: config.localCloud.sharedSecret,
    now: options.now,
    faults: options.ossFaults,
  });
  const sts = createStsEmulator({
    accessKeys,
    sharedSecret: config.localCloud.sharedSecret,
    now: options.now,
    maxDurationSec: Math.max(3600, config.sts.durationSec),
    // The SDK stamps requests with the real time; a test clock may run ahead of it.
    maxRequestSkewSec: options.now ? Infinity : undefined,
  });
  const wechat = createWechatEmulator({ appId: config.wechat.appId, appSecret: config.wechat.secret });
  const port = (configured: number) => (options.ephemeralPorts ? 0 : configured);
  const started = await Promise.all([
    oss.listen(port(config.localCloud.ossPort), config.host),
    sts.listen(port(config.localCloud.stsPort), config.host),
    wechat.listen(port(config.localCloud.wechatPort), config.host),
  ]);
  return {
    oss,
    sts,
    wechat,
    urls: { oss: started[0].url, sts: started[1].url, wechat: started[2].url },
    async close() {
      await Promise.all([oss.close(), sts.close(), wechat.close()]);
    },
  };
}
