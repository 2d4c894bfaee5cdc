import { Config, ConfigError, loadConfig } from './config';
import { bodyIdleTimeoutFromEnv, ossFaultsFromEnv } from '../../localcloud/oss/createOssEmulator';
import { LocalCloud, startLocalCloud } from '../../localcloud/startLocalCloud';
import { localCloudSettings } from './localCloudSettings';
import { createLogger } from './logger';
import { startApi } from './startApi';

/** `npm start`: the API, and in local mode the local cloud it talks to. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  let cloud: LocalCloud | undefined;
  if (config.cloud === 'local') {
    cloud = await startLocalCloud(localCloudSettings(config), {
      ossFaults: ossFaultsFromEnv(process.env),
      ossBodyIdleTimeoutMs: bodyIdleTimeoutFromEnv(process.env),
    });
    console.log(`local OSS     ${cloud.urls.oss}  (bucket ${config.oss.bucket}, objects under ${config.dataDir}/oss)`);
    console.log(`local STS     ${cloud.urls.sts}`);
    console.log(`local WeChat  ${cloud.urls.wechat}  (code2Session; any wx.login code works)`);
  }
  const api = await startApi(config, { logger });
  const store = config.databaseUrl ? 'PostgreSQL' : `SQLite ${config.dataDir}/album.sqlite`;
  console.log(`API           ${api.url}  (${config.cloud} mode, ${store})`);
  console.log(
    [
      '',
      'WeChat DevTools: import this folder (project.config.json sets miniprogramRoot to miniprogram/),',
      'keep "不校验合法域名" (urlCheck off) ticked, and the Mini Program reaches the API at miniprogram/config.ts.',
      `To preview on a phone, set HOST=0.0.0.0, OSS_PUBLIC_ENDPOINT=http://<this machine's LAN address>:${config.localCloud.ossPort},`,
      'and your own LOCAL_CLOUD_SECRET, ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.',
    ].join('\n'),
  );

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await api.close();
    await cloud?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(`startup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
