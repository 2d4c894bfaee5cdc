import { isIP } from 'node:net';
import { z } from 'zod';
import { isPostgresUrl } from './store/isPostgresUrl';
import { CLOCK_SKEW_SEC, credentialRefreshMarginSec, MIN_CREDENTIAL_USE_SEC } from './sts/cachedCredentials';

/**
 * The whole configuration, read once from the environment by `main.ts` (every name is in the README's configuration table).
 * A wrong or missing setting throws a ConfigError whose message is one line naming it.
 */
export interface Config {
  cloud: 'local' | 'aliyun';
  port: number;
  host: string;
  /** Express's `trust proxy`: how many proxy hops, or which proxy addresses, to believe `X-Forwarded-For` from. */
  trustProxy: number | string[];
  dataDir: string;
  databaseUrl?: string;
  /** Set: rate limits are counted in this Redis, shared by every API instance. */
  redis?: { url: string; keyPrefix: string };
  localCloud: { ossPort: number; stsPort: number; wechatPort: number; sharedSecret: string };
  oss: {
    bucket: string;
    region: string;
    /** Where the server reaches OSS. */
    endpoint: string;
    /** The upload host handed to phones; may differ (a LAN address, a CDN, the public endpoint). */
    publicEndpoint: string;
    /** Where the server reads whole objects to verify them (OSS's internal endpoint is free within a region). */
    internalEndpoint: string;
  };
  sts: { endpoint: string; protocol: 'http' | 'https'; roleArn: string; durationSec: number };
  /** Set in local mode (the pair the STS emulator accepts); in aliyun mode the default credential chain is used. */
  accessKey?: { id: string; secret: string };
  wechat: { appId: string; secret: string; apiBase: string };
  limits: {
    maxFileSizeBytes: number;
    policyTtlSec: number;
    sessionTtlSec: number;
    viewUrlTtlSec: number;
  };
  /** Per minute; past them the API answers 429 with Retry-After. */
  rateLimits: {
    loginPerIp: number;
    loginPerUser: number;
    signaturePerUser: number;
    signaturePerIp: number;
    joinPerUser: number;
    joinPerIp: number;
    /** `POST /photos` requests. */
    commitPerUser: number;
    /** OSS HEADs made on a user's behalf (each new upload a commit verifies costs one). */
    ossHeadsPerUser: number;
    /** Calls of the multipart routes (a completion reads the whole object back from OSS). */
    multipartPerUser: number;
  };
  logLevel: string;
}

/**
 * One line naming the setting and the rule it breaks. Never the value: settings hold passwords
 * (DATABASE_URL, REDIS_URL), secrets and keys, and startup errors end up in shared logs.
 */
export class ConfigError extends Error {
  constructor(setting: string, problem: string) {
    super(`Configuration error: ${setting} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** The documented local access key pair: only ever accepted by the local STS emulator. */
export const LOCAL_ACCESS_KEY = { id: 'LTAI5tLocalDevAccessKey', secret: 'local-dev-access-key-secret' };
/** The public default of LOCAL_CLOUD_SECRET: fine on loopback, never once the local cloud is reachable from a network. */
export const DEFAULT_LOCAL_CLOUD_SECRET = 'local-cloud-shared-secret';
/**
 * PostObject V4 accepts a form at most 15 minutes after its x-oss-date, whatever the policy's
 * expiration says ("A 15-minute backward time skew is allowed for the x-oss-date field",
 * https://help.aliyun.com/en/oss/developer-reference/signature-version-4-recommend): a longer
 * policy would promise uploads OSS refuses.
 */
const MAX_POLICY_TTL_SEC = 900;
const LOCAL_ROLE_ARN = 'acs:ram::1000000000000000:role/family-album-uploader';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).transform((u) => u.replace(/\/+$/, ''));
const postgresUrl = z.string().refine(isPostgresUrl, 'must start with postgres:// or postgresql://');
const redisUrl = z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' });

/** 127.0.0.0/8, ::1 and `localhost`: the addresses only this machine reaches. */
function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.')) || /^::ffff:127\./i.test(bare);
}

/** Express's preset subnet names (proxy-addr), or an IPv4/IPv6 address with an optional /prefix. */
const proxyAddress = (entry: string): boolean => {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
};
const hopCount = /^\d{1,2}$/;
const trustProxy = z
  .string()
  .refine(
    (s) => hopCount.test(s) || s.split(',').every((e) => proxyAddress(e.trim())),
    'must be a hop count (0-99) or a comma-separated list of addresses, subnets (a.b.c.d/n) or loopback, linklocal, uniquelocal',
  )
  .transform((s) => (hopCount.test(s) ? Number(s) : s.split(',').map((e) => e.trim())));

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const read = <T>(name: string, schema: z.ZodType<T>, fallback?: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (fallback === undefined) throw new ConfigError(name, 'is required');
      return fallback;
    }
    const parsed = schema.safeParse(raw);
    // The rule, never the value (see ConfigError); zod's own messages do not quote the input either.
    if (!parsed.success) throw new ConfigError(name, `is invalid: ${parsed.error.issues[0].message}`);
    return parsed.data;
  };

  const aliyunSettingsGiven = Boolean(env.OSS_BUCKET && env.OSS_REGION && env.STS_ROLE_ARN);
  const cloud = read('CLOUD', z.enum(['local', 'aliyun']), aliyunSettingsGiven ? 'aliyun' : 'local');
  const local = cloud === 'local';
  const localCloud = {
    ossPort: read('LOCAL_OSS_PORT', port, 3001),
    stsPort: read('LOCAL_STS_PORT', port, 3002),
    wechatPort: read('LOCAL_WECHAT_PORT', port, 3003),
    sharedSecret: read('LOCAL_CLOUD_SECRET', z.string().min(16, 'must be at least 16 characters'), DEFAULT_LOCAL_CLOUD_SECRET),
  };
  const localDefault = <T>(value: T): T | undefined => (local ? value : undefined);

  const region = read('OSS_REGION', z.string().regex(/^[a-z]+(-[a-z0-9]+)+$/, 'a bare region like cn-hangzhou'), localDefault('cn-hangzhou'));
  const endpoint = read('OSS_ENDPOINT', httpUrl, local ? `http://127.0.0.1:${localCloud.ossPort}` : `https://oss-${region}.aliyuncs.com`);
  const databaseUrl = env.DATABASE_URL ? read('DATABASE_URL', postgresUrl) : undefined;
  const redisUrlValue = env.REDIS_URL ? read('REDIS_URL', redisUrl) : undefined;
  const redisKeyPrefix = read('REDIS_KEY_PREFIX', z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 of A-Z, a-z, 0-9, ":", "_", ".", "-"'), 'family-album:rate');
  const stsEndpoint = read('STS_ENDPOINT', z.string().min(1), local ? `127.0.0.1:${localCloud.stsPort}` : 'sts.aliyuncs.com');

  const config: Config = {
    cloud,
    port: read('PORT', port, 3000),
    host: read('HOST', z.string().min(1), '127.0.0.1'),
    trustProxy: read('TRUST_PROXY', trustProxy, ['loopback']),
    dataDir: read('DATA_DIR', z.string().min(1), 'data'),
    databaseUrl,
    redis: redisUrlValue ? { url: redisUrlValue, keyPrefix: redisKeyPrefix } : undefined,
    localCloud,
    oss: {
      bucket: read('OSS_BUCKET', z.string().regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, 'a bucket name (3-63 of a-z, 0-9, -)'), localDefault('family-album')),
      region,
      endpoint,
      publicEndpoint: read('OSS_PUBLIC_ENDPOINT', httpUrl, endpoint),
      internalEndpoint: read('OSS_INTERNAL_ENDPOINT', httpUrl, endpoint),
    },
    sts: {
      endpoint: stsEndpoint.replace(/^https?:\/\//, ''),
      protocol: read('STS_PROTOCOL', z.enum(['http', 'https']), local ? 'http' : 'https'),
      roleArn: read('STS_ROLE_ARN', z.string().regex(/^acs:ram::\d+:role\/.+$/, 'a RAM role ARN (acs:ram::<uid>:role/<name>)'), localDefault(LOCAL_ROLE_ARN)),
      durationSec: read('STS_DURATION_SECONDS', z.coerce.number().int().min(900).max(43200), 3600),
    },
    accessKey: local
      ? {
          id: read('ALIBABA_CLOUD_ACCESS_KEY_ID', z.string().min(1), LOCAL_ACCESS_KEY.id),
          secret: read('ALIBABA_CLOUD_ACCESS_KEY_SECRET', z.string().min(1), LOCAL_ACCESS_KEY.secret),
        }
      : undefined,
    wechat: {
      appId: read('WECHAT_APPID', z.string().min(1), localDefault('wx0000000000local')),
      secret: read('WECHAT_SECRET', z.string().min(1), localDefault('local-wechat-app-secret')),
      apiBase: read('WECHAT_API_BASE', httpUrl, local ? `http://127.0.0.1:${localCloud.wechatPort}` : 'https://api.weixin.qq.com'),
    },
    limits: {
      maxFileSizeBytes: read('MAX_FILE_SIZE', positiveInt.max(5 * 1024 ** 3, 'at most 5 GiB (the PostObject limit)'), 1024 ** 3),
      policyTtlSec: read(
        'POLICY_TTL_SECONDS',
        z.coerce.number().int().min(60).max(MAX_POLICY_TTL_SEC, `must be at most ${MAX_POLICY_TTL_SEC} (OSS refuses a PostObject form more than 15 minutes after its x-oss-date)`),
        600,
      ),
      sessionTtlSec: read('SESSION_TTL_SECONDS', z.coerce.number().int().min(60), 30 * 24 * 3600),
      viewUrlTtlSec: read('VIEW_URL_TTL_SECONDS', z.coerce.number().int().min(60).max(3600), 1800),
    },
    rateLimits: {
      loginPerIp: read('RATE_LIMIT_LOGIN_PER_IP', positiveInt, 60),
      loginPerUser: read('RATE_LIMIT_LOGIN_PER_USER', positiveInt, 20),
      signaturePerUser: read('RATE_LIMIT_SIGNATURE_PER_USER', positiveInt, 120),
      signaturePerIp: read('RATE_LIMIT_SIGNATURE_PER_IP', positiveInt, 600),
      joinPerUser: read('RATE_LIMIT_JOIN_PER_USER', positiveInt, 10),
      joinPerIp: read('RATE_LIMIT_JOIN_PER_IP', positiveInt, 30),
      commitPerUser: read('RATE_LIMIT_COMMIT_PER_USER', positiveInt, 60),
      // At least one full commit's worth, or a 100-item commit could never pass.
      ossHeadsPerUser: read('RATE_LIMIT_OSS_HEADS_PER_USER', positiveInt.min(100, 'must be at least 100 (one full POST /photos)'), 600),
      multipartPerUser: read('RATE_LIMIT_MULTIPART_PER_USER', positiveInt, 120),
    },
    logLevel: read('LOG_LEVEL', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  };
  // Credentials are replaced the longest URL or policy lifetime (plus skew) before they expire; they must then still serve a while.
  if (config.sts.durationSec < credentialRefreshMarginSec(config.limits) + MIN_CREDENTIAL_USE_SEC) {
    throw new ConfigError(
      'STS_DURATION_SECONDS',
      `must exceed the larger of VIEW_URL_TTL_SECONDS and POLICY_TTL_SECONDS by at least ${CLOCK_SKEW_SEC + MIN_CREDENTIAL_USE_SEC} seconds (clock skew and reuse)`,
    );
  }
  if (local && !isLoopbackHost(config.host)) refusePublicLocalSecrets(env);
  return config;
}

/**
 * `HOST` other than loopback exposes the local cloud (STS included) to the network for phone
 * preview. Its default secret and key pair are published in the README: with them anyone on the
 * network could ask the local STS for upload credentials or forge its tokens. So they must be
 * the operator's own.
 */
function refusePublicLocalSecrets(env: NodeJS.ProcessEnv): void {
  const why = 'must be set to a value of your own when HOST is not loopback: the default is public, and the local cloud is then reachable from the network';
  const secret = env.LOCAL_CLOUD_SECRET;
  if (!secret || secret === DEFAULT_LOCAL_CLOUD_SECRET) throw new ConfigError('LOCAL_CLOUD_SECRET', why);
  if (!env.ALIBABA_CLOUD_ACCESS_KEY_ID || env.ALIBABA_CLOUD_ACCESS_KEY_ID === LOCAL_ACCESS_KEY.id) throw new ConfigError('ALIBABA_CLOUD_ACCESS_KEY_ID', why);
  if (!env.ALIBABA_CLOUD_ACCESS_KEY_SECRET || env.ALIBABA_CLOUD_ACCESS_KEY_SECRET === LOCAL_ACCESS_KEY.secret) throw new ConfigError('ALIBABA_CLOUD_ACCESS_KEY_SECRET', why);
}
