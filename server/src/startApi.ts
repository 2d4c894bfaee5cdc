import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config';
import { createApp } from './createApp';
import { createApiServer } from './http/createApiServer';
import type { AppDeps } from './routes/AppDeps';
import { createOssClient } from './ossClient/ossClient';
import { createOssMultipartClient } from './ossClient/ossMultipartClient';
import { createMultipartUploads } from './upload/multipart/multipartUploads';
import { sweepObjectDeletions } from './objects/sweepObjectDeletions';
import { connectRedis } from './rateLimits/connectRedis';
import { createRateLimiters } from './rateLimits/createRateLimiters';
import { openStore } from './store/openStore';
import type { Store } from './store/Store';
import { withStoreErrors } from './store/StoreUnavailableError';
import { createAssumeRole } from './sts/assumeRole';
import { createCredentialCache, credentialRefreshMarginSec } from './sts/cachedCredentials';
import { createCode2Session } from './wechat/code2Session';

const STALE_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export interface RunningApi {
  url: string;
  port: number;
  deps: AppDeps;
  close(): Promise<void>;
}

export interface StartApiOptions {
  logger: Logger;
  now?: () => Date;
  /** A store opened by the caller (tests); by default the one the configuration names. */
  store?: Store;
}

/** Builds the real dependencies from the configuration and serves the API. */
export async function startApi(config: Config, options: StartApiOptions): Promise<RunningApi> {
  const now = options.now ?? (() => new Date());
  const redis = config.redis ? await connectRedis(config.redis.url) : undefined;
  const ownStore = options.store
    ? undefined
    : await openStore({ databaseUrl: config.databaseUrl, sqlitePath: path.join(config.dataDir, 'album.sqlite') }).catch((error: unknown) => {
        redis?.disconnect();
        throw error;
      });
  const store = withStoreErrors(options.store ?? (ownStore as Store));
  const assumeRole = createAssumeRole({
    endpoint: config.sts.endpoint,
    protocol: config.sts.protocol,
    roleArn: config.sts.roleArn,
    roleSessionName: 'family-album-api',
    durationSec: config.sts.durationSec,
    accessKey: config.accessKey,
  });
  // Refresh early enough that every view URL and policy signed with them lives its full term.
  const credentials = createCredentialCache(assumeRole, { now, refreshMarginSec: credentialRefreshMarginSec(config.limits) });
  const ossClient = createOssClient({ ...config.oss, credentials, now });
  const ossMultipart = createOssMultipartClient({ ...config.oss, credentials, now });
  const multipartUploads = createMultipartUploads({
    store,
    oss: ossMultipart,
    deleteObject: (key) => ossClient.deleteObject(key),
    now,
    maxFileSizeBytes: config.limits.maxFileSizeBytes,
    partUrlTtlSec: config.limits.policyTtlSec,
  });
  const deps: AppDeps = {
    config,
    store,
    ossClient,
    multipartUploads,
    credentials,
    code2Session: createCode2Session(config.wechat),
    now,
    randomBytes: cryptoRandomBytes,
    logger: options.logger,
    rateLimiters: createRateLimiters(config.rateLimits, { now, redis: redis && config.redis && { client: redis, keyPrefix: config.redis.keyPrefix } }),
    probes: {
      sts: () => credentials.get(),
      wechat: () => fetch(config.wechat.apiBase, { method: 'HEAD', signal: AbortSignal.timeout(3000) }),
    },
  };
  const server = createApiServer(createApp(deps)).listen(config.port, config.host);
  // Background sweeps, at start (a server deployed more often than hourly would otherwise never
  // run them) and hourly: unfinished multipart uploads older than a day are aborted (their parts
  // cost storage), and photo deletions a process left half done (it died between marking the
  // object row and deleting the OSS object) are finished. Each failure is logged and left for the next round.
  const sweepStale = async () => {
    await sweepObjectDeletions({ store, deleteObject: (key) => ossClient.deleteObject(key), logger: options.logger, now })
      .then(({ finished, failed }) => {
        if (finished + failed > 0) options.logger.info({ finished, failed }, 'finished object deletions left half done');
      })
      .catch((error: unknown) => options.logger.warn({ err: error }, 'finishing object deletions failed'));
    await multipartUploads.abortStale().catch((error: unknown) => options.logger.warn({ err: error }, 'aborting stale multipart uploads failed'));
  };
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Started once the server listens: a server that failed to start sweeps nothing.
  let sweeping = sweepStale();
  const staleSweep = setInterval(() => {
    sweeping = sweeping.then(sweepStale);
  }, STALE_SWEEP_INTERVAL_MS);
  staleSweep.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}`,
    port,
    deps,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      clearInterval(staleSweep);
      await sweeping; // never rejects: each sweep logs its own failure
      ossClient.close();
      ossMultipart.close();
      redis?.disconnect();
      await ownStore?.close();
    },
  };
}
