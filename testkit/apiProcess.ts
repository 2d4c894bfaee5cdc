/**
 * The API alone in its own process (the local cloud runs in the test), so a test can SIGKILL it
 * mid-request and start it again. Prints `listening <url>` once it serves. Started with
 * `--expose-gc`, SIGUSR2 collects garbage and prints `memory {heapUsedBytes, rssBytes}`: the live
 * size a soak run compares over time.
 */
import { loadConfig } from '../server/src/config';
import { createLogger } from '../server/src/logger';
import { startApi } from '../server/src/startApi';

startApi(loadConfig(process.env), { logger: createLogger('warn') }).then(
  (api) => console.log(`listening ${api.url}`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  console.log(`memory ${JSON.stringify({ heapUsedBytes: heapUsed, rssBytes: rss })}`);
});
