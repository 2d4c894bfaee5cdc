import type { LocalCloudSettings } from '../../localcloud/startLocalCloud';
import type { Config } from './config';

/**
 * The local cloud serves what the API is configured to reach: its bucket, region, key pair and
 * ports. With `main.ts`, the only place the API's side names the local cloud.
 */
export function localCloudSettings(config: Config): LocalCloudSettings {
  if (!config.accessKey) throw new Error('the local cloud needs the local access key pair (CLOUD=local)');
  return {
    host: config.host,
    dataDir: config.dataDir,
    region: config.oss.region,
    bucket: config.oss.bucket,
    accessKey: config.accessKey,
    sharedSecret: config.localCloud.sharedSecret,
    stsMaxDurationSec: config.sts.durationSec,
    wechat: { appId: config.wechat.appId, appSecret: config.wechat.secret },
    ports: { oss: config.localCloud.ossPort, sts: config.localCloud.stsPort, wechat: config.localCloud.wechatPort },
  };
}
