import { z } from 'zod';
import { CLOCK_SKEW_SEC, credentialRefreshMarginSec, MIN_CREDENTIAL_USE_SEC } from './sts/cachedCredentials';

/**
 * The whole configuration, read once from the environment by `main.ts` (every name is in the README's configuration table).
 * A wrong or missing setting throws a ConfigError whose message is one line naming it.
 */
export interface Config {
  cloud: 'local' | 'aliyun';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
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
  /** Requests per minute; past them the API answers 429 with Retry-After. */
  rateLimits: {
    loginPerIp: number;
    loginPerUser: number;
    signaturePerUser: number;
    signaturePerIp: number;
  };
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(setting: string, problem: string) {
    super(`Configuration error: ${setting} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** The documented local access key pair: only ever accepted by the local STS emulator. */
export const LOCAL_ACCESS_KEY = { id: 'LTAI5tLocalDevAccessKey', secret: 'local-dev-access-key-secret' };
const LOCAL_ROLE_ARN = 'acs:ram::1000000000000000:role/family-album-uploader';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const read = <T>(name: string, schema: z.ZodType<T>, fallback?: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (fallback === undefined) throw new ConfigError(name, 'is required');
      return fallback;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new ConfigError(name, `is invalid (${JSON.stringify(raw)}): ${parsed.error.issues[0].message}`);
    return parsed.data;
  };

  const aliyunSettingsGiven = Boolean(env.OSS_BUCKET && env.OSS_REGION && env.STS_ROLE_ARN);
  const cloud = read('CLOUD', z.enum(['local', 'aliyun']), aliyunSettingsGiven ? 'aliyun' : 'local');
  const local = cloud === 'local';
  const localCloud = {
    ossPort: read('LOCAL_OSS_PORT', port, 3001),
    stsPort: read('LOCAL_STS_PORT', port, 3002),
    wechatPort: read('LOCAL_WECHAT_PORT', port, 3003),
    sharedSecret: read('LOCAL_CLOUD_SECRET', z.string().min(16), 'local-cloud-shared-secret'),
  };
  const localDefault = <T>(value: T): T | undefined => (local ? value : undefined);

  const region = read('OSS_REGION', z.string().regex(/^[a-z]+(-[a-z0-9]+)+$/, 'a bare region like cn-hangzhou'), localDefault('cn-hangzhou'));
  const endpoint = read('OSS_ENDPOINT', httpUrl, local ? `http://127.0.0.1:${localCloud.ossPort}` : `https://oss-${region}.aliyuncs.com`);
  const databaseUrl = env.DATABASE_URL ? read('DATABASE_URL', z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')) : undefined;
  const stsEndpoint = read('STS_ENDPOINT', z.string().min(1), local ? `127.0.0.1:${localCloud.stsPort}` : 'sts.aliyuncs.com');

  const config: Config = {
    cloud,
    port: read('PORT', port, 3000),
    host: read('HOST', z.string().min(1), '127.0.0.1'),
    dataDir: read('DATA_DIR', z.string().min(1), 'data'),
    databaseUrl,
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
      policyTtlSec: read('POLICY_TTL_SECONDS', z.coerce.number().int().min(60).max(3600), 600),
      sessionTtlSec: read('SESSION_TTL_SECONDS', z.coerce.number().int().min(60), 30 * 24 * 3600),
      viewUrlTtlSec: read('VIEW_URL_TTL_SECONDS', z.coerce.number().int().min(60).max(3600), 1800),
    },
    rateLimits: {
      loginPerIp: read('RATE_LIMIT_LOGIN_PER_IP', positiveInt, 60),
      loginPerUser: read('RATE_LIMIT_LOGIN_PER_USER', positiveInt, 20),
      signaturePerUser: read('RATE_LIMIT_SIGNATURE_PER_USER', positiveInt, 120),
      signaturePerIp: read('RATE_LIMIT_SIGNATURE_PER_IP', positiveInt, 600),
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
  return config;
}
