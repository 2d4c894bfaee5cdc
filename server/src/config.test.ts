import { ConfigError, DEFAULT_LOCAL_CLOUD_SECRET, LOCAL_ACCESS_KEY, loadConfig } from './config';

describe('loadConfig', () => {
  test('nothing set: local mode with the documented defaults', () => {
    const config = loadConfig({});
    expect(config.cloud).toBe('local');
    expect(config.port).toBe(3000);
    expect(config.localCloud).toMatchObject({ ossPort: 3001, stsPort: 3002, wechatPort: 3003 });
    expect(config.oss).toEqual({
      bucket: 'family-album',
      region: 'cn-hangzhou',
      endpoint: 'http://127.0.0.1:3001',
      internalEndpoint: 'http://127.0.0.1:3001',
      publicEndpoint: 'http://127.0.0.1:3001',
    });
    expect(config.sts.endpoint).toBe('127.0.0.1:3002');
    expect(config.accessKey).toEqual(LOCAL_ACCESS_KEY);
    expect(config.wechat.apiBase).toBe('http://127.0.0.1:3003');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('data');
  });

  test('ports move the local cloud URLs with them', () => {
    const config = loadConfig({ LOCAL_OSS_PORT: '4001', LOCAL_STS_PORT: '4002', LOCAL_WECHAT_PORT: '4003' });
    expect(config.oss.endpoint).toBe('http://127.0.0.1:4001');
    expect(config.sts.endpoint).toBe('127.0.0.1:4002');
    expect(config.wechat.apiBase).toBe('http://127.0.0.1:4003');
  });

  test('the phone upload host may differ from the server one', () => {
    expect(loadConfig({ OSS_PUBLIC_ENDPOINT: 'http://192.0.2.10:3001/' }).oss.publicEndpoint).toBe('http://192.0.2.10:3001');
  });

  test('bucket, region and role ARN select aliyun mode with real endpoints and no local key pair', () => {
    const config = loadConfig({
      OSS_BUCKET: 'my-family',
      OSS_REGION: 'cn-shanghai',
      STS_ROLE_ARN: 'acs:ram::1234567890123456:role/uploader',
      WECHAT_APPID: 'wxabc',
      WECHAT_SECRET: 's',
    });
    expect(config.cloud).toBe('aliyun');
    expect(config.oss.endpoint).toBe('https://oss-cn-shanghai.aliyuncs.com');
    expect(config.sts).toMatchObject({ endpoint: 'sts.aliyuncs.com', protocol: 'https' });
    expect(config.accessKey).toBeUndefined();
    expect(config.wechat.apiBase).toBe('https://api.weixin.qq.com');
  });

  test('aliyun mode without its settings names the missing one', () => {
    expect(() => loadConfig({ CLOUD: 'aliyun' })).toThrow('Configuration error: OSS_REGION is required');
    expect(() => loadConfig({ CLOUD: 'aliyun', OSS_REGION: 'cn-hangzhou', OSS_BUCKET: 'b-1' })).toThrow('STS_ROLE_ARN is required');
  });

  test('a policy lifetime too long for the STS credentials is refused', () => {
    expect(() => loadConfig({ STS_DURATION_SECONDS: '900', POLICY_TTL_SECONDS: '600' })).toThrow('POLICY_TTL_SECONDS');
  });

  test('DATABASE_URL selects PostgreSQL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/db' }).databaseUrl).toBe('postgres://u@127.0.0.1:5432/db');
  });

  test('the PostgreSQL scheme is matched without regard to case, as the store matches it', () => {
    expect(loadConfig({ DATABASE_URL: 'POSTGRES://u@127.0.0.1/db' }).databaseUrl).toBe('POSTGRES://u@127.0.0.1/db');
    expect(loadConfig({ DATABASE_URL: 'PostgreSQL://u@127.0.0.1/db' }).databaseUrl).toBe('PostgreSQL://u@127.0.0.1/db');
    expect(() => loadConfig({ DATABASE_URL: 'postgres:/u@127.0.0.1/db' })).toThrow('DATABASE_URL');
  });

  // Each value carries a secret-looking marker; the one line must name the setting and its rule, never the value.
  const SECRET = 'S3cretMark';
  test.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['CLOUD', 'azure'],
    ['OSS_REGION', 'oss-cn-hangzhou!'],
    ['OSS_BUCKET', 'Bad_Bucket'],
    ['OSS_ENDPOINT', 'ftp://x'],
    ['MAX_FILE_SIZE', '-1'],
    ['POLICY_TTL_SECONDS', '5'],
    ['STS_ROLE_ARN', 'not-an-arn'],
    ['DATABASE_URL', `postgress://app:${SECRET}@db/x`],
    ['DATABASE_URL', `mysql://app:${SECRET}@db/x`],
    ['DATABASE_URL', `postgres:/app:${SECRET}@db/x`],
    ['REDIS_URL', `http://:${SECRET}@127.0.0.1:6379`],
    ['REDIS_URL', `redis//:${SECRET}@127.0.0.1`],
    ['REDIS_KEY_PREFIX', `bad prefix ${SECRET}`],
    ['LOCAL_CLOUD_SECRET', SECRET],
    ['OSS_ENDPOINT', `ftp://u:${SECRET}@oss`],
    ['OSS_PUBLIC_ENDPOINT', `oss.example.com/${SECRET}`],
    ['OSS_INTERNAL_ENDPOINT', `ftp://u:${SECRET}@oss-internal`],
    ['WECHAT_API_BASE', `ws://u:${SECRET}@wechat`],
    ['TRUST_PROXY', `10.0.0.1,${SECRET}`],
    ['STS_ROLE_ARN', SECRET],
    ['OSS_BUCKET', SECRET],
    ['OSS_REGION', SECRET],
    ['CLOUD', SECRET],
    ['STS_PROTOCOL', SECRET],
    ['LOG_LEVEL', SECRET],
    ['PORT', SECRET],
    ['MAX_FILE_SIZE', SECRET],
    ['RATE_LIMIT_JOIN_PER_IP', SECRET],
  ])('%s=<bad value> stops startup with one line naming the setting and the rule, never the value', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^Configuration error: ${name} is invalid: .{8,}$`));
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain(value);
  });

  test('POLICY_TTL_SECONDS above 900 stops startup: OSS refuses a form 15 minutes after its x-oss-date', () => {
    expect(() => loadConfig({ POLICY_TTL_SECONDS: '901' })).toThrow(/^Configuration error: POLICY_TTL_SECONDS is invalid: must be at most 900 /);
    expect(loadConfig({ POLICY_TTL_SECONDS: '900' }).limits.policyTtlSec).toBe(900);
  });

  describe('HOST other than loopback exposes the local cloud', () => {
    const own = { LOCAL_CLOUD_SECRET: 'my-own-local-cloud-secret', ALIBABA_CLOUD_ACCESS_KEY_ID: 'my-key-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'my-key-secret' };

    test.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])('%s keeps the documented defaults', (host) => {
      expect(loadConfig({ HOST: host }).localCloud.sharedSecret).toBe(DEFAULT_LOCAL_CLOUD_SECRET);
    });

    test.each([
      ['LOCAL_CLOUD_SECRET', {}],
      ['LOCAL_CLOUD_SECRET', { ...own, LOCAL_CLOUD_SECRET: DEFAULT_LOCAL_CLOUD_SECRET }],
      ['ALIBABA_CLOUD_ACCESS_KEY_ID', { ...own, ALIBABA_CLOUD_ACCESS_KEY_ID: LOCAL_ACCESS_KEY.id }],
      ['ALIBABA_CLOUD_ACCESS_KEY_ID', { LOCAL_CLOUD_SECRET: own.LOCAL_CLOUD_SECRET }],
      ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', { ...own, ALIBABA_CLOUD_ACCESS_KEY_SECRET: LOCAL_ACCESS_KEY.secret }],
    ])('0.0.0.0 refuses the public default %s and says why', (name, env) => {
      expect(() => loadConfig({ HOST: '0.0.0.0', ...env })).toThrow(new RegExp(`^Configuration error: ${name} must be set to a value of your own when HOST is not loopback: the default is public`));
    });

    test('with values of its own it starts', () => {
      const config = loadConfig({ HOST: '0.0.0.0', ...own });
      expect(config.localCloud.sharedSecret).toBe(own.LOCAL_CLOUD_SECRET);
      expect(config.accessKey).toEqual({ id: own.ALIBABA_CLOUD_ACCESS_KEY_ID, secret: own.ALIBABA_CLOUD_ACCESS_KEY_SECRET });
    });
  });

  test('TRUST_PROXY: loopback by default, a hop count, or a list of addresses and subnets', () => {
    expect(loadConfig({}).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.0.2.7' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.7']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow('TRUST_PROXY');
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow('TRUST_PROXY');
  });

  test('REDIS_URL shares rate limits, under a key prefix', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis).toEqual({ url: 'redis://127.0.0.1:6379', keyPrefix: 'family-album:rate' });
    expect(loadConfig({ REDIS_URL: 'rediss://r.example:6380/2', REDIS_KEY_PREFIX: 'a:b' }).redis).toEqual({ url: 'rediss://r.example:6380/2', keyPrefix: 'a:b' });
  });
});
