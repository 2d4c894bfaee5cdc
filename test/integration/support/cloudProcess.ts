/**
 * The local cloud alone in its own process (for soak runs, so the load generator does not share
 * its event loop). Prints `cloud {"oss":…,"sts":…,"wechat":…}` once it serves.
 */
import { loadConfig } from '../../../server/src/config';
import { startLocalCloud } from '../../../server/src/emulators/startLocalCloud';

startLocalCloud(loadConfig(process.env), { ephemeralPorts: true }).then(
  (cloud) => console.log(`cloud ${JSON.stringify(cloud.urls)}`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
