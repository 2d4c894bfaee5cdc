import path from 'node:path';
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
  /** See OssEmulatorOptions.bodyIdleTimeoutMs. */
  ossBodyIdleTimeoutMs?: number;
  /** Port 0 everywhere picks free ports (tests); otherwise the configured ones. */
  ephemeralPorts?: boolean;
}

/** What the local cloud serves and accepts; the API's entry wiring derives it from the API's configuration. */
export interface LocalCloudSettings {
  host: string;
  /** Objects live under `<dataDir>/oss`. */
  dataDir: string;
  region: string;
  bucket: string;
  /** The one key pair the STS emulator accepts (the OSS emulator accepts it too). */
  accessKey: { id: string; secret: string };
  /** Signs and checks the STS tokens; OSS and STS share it. */
  sharedSecret: string;
  stsMaxDurationSec: number;
  wechat: { appId: string; appSecret: string };
  ports: { oss: number; sts: number; wechat: number };
}

/**
 * The local OSS, STS and WeChat servers, set up from the same settings the API reads: the STS
 * emulator accepts exactly the configured key pair, OSS serves the configured bucket.
 */
export async function startLocalCloud(settings: LocalCloudSettings, options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const accessKeys = { [settings.accessKey.id]: settings.accessKey.secret };
  const oss = createOssEmulator({
    dataDir: path.join(settings.dataDir, 'oss'),
    region: settings.region,
    buckets: [settings.bucket],
    accessKeys,
    stsSharedSecret: settings.sharedSecret,
    now: options.now,
    faults: options.ossFaults,
    bodyIdleTimeoutMs: options.ossBodyIdleTimeoutMs,
  });
  const sts = createStsEmulator({
    accessKeys,
    sharedSecret: settings.sharedSecret,
    now: options.now,
    maxDurationSec: Math.max(3600, settings.stsMaxDurationSec),
    // The SDK stamps requests with the real time; a test clock may run ahead of it.
    maxRequestSkewSec: options.now ? Infinity : undefined,
  });
  const wechat = createWechatEmulator(settings.wechat);
  const port = (configured: number) => (options.ephemeralPorts ? 0 : configured);
  const started = await Promise.all([
    oss.listen(port(settings.ports.oss), settings.host),
    sts.listen(port(settings.ports.sts), settings.host),
    wechat.listen(port(settings.ports.wechat), settings.host),
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
