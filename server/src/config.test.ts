import { ConfigError, LOCAL_ACCESS_KEY, loadConfig } from './config';

describe('loadConfig', () => {
  test('nothing set: local mode with the documented defaults', () => {
    const config = loadConfig({});
    expect(config.cloud).toBe('local');
    expect(config.port).toBe(3000);
    expect(config.localCloud).toMatchObject({ ossPort: 3001, stsPort: 3002, wechatPort: 3003 });
    expect(config.oss).toEqual({ bucket: 'family-album', region: 'cn-hangzhou', endpoint: 'http://127.0.0.1:3001', publicEndpoint: 'http://127.0.0.1:3001' });
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

  test.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['CLOUD', 'azure'],
    ['OSS_REGION', 'oss-cn-hangzhou!'],
    ['OSS_BUCKET', 'Bad_Bucket'],
    ['OSS_ENDPOINT', 'ftp://x'],
    ['DATABASE_URL', 'mysql://x'],
    ['MAX_FILE_SIZE', '-1'],
    ['POLICY_TTL_SECONDS', '5'],
    ['STS_ROLE_ARN', 'role'],
  ])('%s=%s stops startup with one line naming it', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
    expect((error as Error).message).not.toContain('\n');
  });

  test('a policy lifetime too long for the STS credentials is refused', () => {
    expect(() => loadConfig({ STS_DURATION_SECONDS: '900', POLICY_TTL_SECONDS: '600' })).toThrow('POLICY_TTL_SECONDS');
  });

  test('DATABASE_URL selects PostgreSQL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/db' }).databaseUrl).toBe('postgres://u@127.0.0.1:5432/db');
  });
});
