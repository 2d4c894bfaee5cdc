/**
 * The local cloud alone in its own process (for soak runs, so the load generator does not share
 * its event loop). Prints `cloud {"oss":…,"sts":…,"wechat":…}` once it serves.
 */
import { loadConfig } from '../server/src/config';
import { startLocalCloud } from '../localcloud/startLocalCloud';
import { localCloudSettings } from '../server/src/localCloudSettings';

startLocalCloud(localCloudSettings(loadConfig(process.env)), { ephemeralPorts: true }).then(
  (cloud) => console.log(`cloud ${JSON.stringify(cloud.urls)}`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
