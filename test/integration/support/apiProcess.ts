/**
 * The API alone in its own process (the local cloud runs in the test), so a test can SIGKILL it
 * mid-request and start it again. Prints `listening <url>` once it serves.
 */
import { loadConfig } from '../../../server/src/config';
import { createLogger } from '../../../server/src/logger';
import { startApi } from '../../../server/src/startApi';

startApi(loadConfig(process.env), { logger: createLogger('warn') }).then(
  (api) => console.log(`listening ${api.url}`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
