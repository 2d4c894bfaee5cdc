import { isPolicyDocument, validateAssumeRole } from './validateAssumeRole';

const ROLE = 'acs:ram::1000000000000000:role/family-album-uploader';
const rules = { maxDurationSec: 3600 };
const params = (p: Record<string, string>) => new Map(Object.entries({ RoleArn: ROLE, RoleSessionName: 'api-server', ...p }));
const codeOf = (p: Record<string, string>, r: Parameters<typeof validateAssumeRole>[1] = rules) => {
  const result = validateAssumeRole(params(p), r);
  return result.ok ? 'ok' : result.error.code;
};
const POLICY = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: ['oss:PutObject'], Resource: ['acs:oss:*:*:family-album/families/1/*'] }],
});

describe('validateAssumeRole', () => {
  test('defaults DurationSeconds to 3600 and keeps the inputs', () => {
    expect(validateAssumeRole(params({}), rules)).toEqual({
      ok: true,
      value: { roleArn: ROLE, roleSessionName: 'api-server', durationSec: 3600, policy: undefined },
    });
  });

  test('RoleArn: required, well formed, and one of the roles that exist', () => {
    expect(validateAssumeRole(new Map([['RoleSessionName', 'ab']]), rules)).toMatchObject({ ok: false, error: { code: 'MissingRoleArn', status: 400 } });
    expect(codeOf({ RoleArn: 'arn:aws:iam::1:role/x' })).toBe('InvalidParameter.RoleArn');
    expect(codeOf({}, { ...rules, roleArns: ['acs:ram::1000000000000000:role/Family-Album-Uploader'] })).toBe('ok');
    expect(codeOf({}, { ...rules, roleArns: ['acs:ram::1000000000000000:role/other'] })).toBe('EntityNotExist.Role');
    expect(codeOf({}, { ...rules, roleArns: /:role\/family-/g })).toBe('ok');
    expect(codeOf({}, { ...rules, roleArns: /:role\/family-/g })).toBe('ok');
  });

  test.each([
    ['ab', 'ok'],
    ['a'.repeat(64), 'ok'],
    ['user@example.com_1-2', 'ok'],
    ['a', 'InvalidParameter.RoleSessionName'],
    ['a'.repeat(65), 'InvalidParameter.RoleSessionName'],
    ['a b', 'InvalidParameter.RoleSessionName'],
    ['忍者神龟', 'InvalidParameter.RoleSessionName'],
    ['', 'MissingRoleSessionName'],
  ])('RoleSessionName %j → %s', (name, code) => {
    expect(codeOf({ RoleSessionName: name })).toBe(code);
  });

  test.each([
    ['900', 'ok'],
    ['3600', 'ok'],
    ['899', 'InvalidParameter.DurationSeconds'],
    ['3601', 'InvalidParameter.DurationSeconds'],
    ['1e3', 'InvalidParameter.DurationSeconds'],
    ['', 'InvalidParameter.DurationSeconds'],
    ['-900', 'InvalidParameter.DurationSeconds'],
  ])('DurationSeconds %j → %s', (duration, code) => {
    expect(codeOf({ DurationSeconds: duration })).toBe(code);
  });

  test('DurationSeconds above an hour is fine when the role allows it, and the message says the maximum', () => {
    expect(codeOf({ DurationSeconds: '43200' }, { maxDurationSec: 43200 })).toBe('ok');
    const result = validateAssumeRole(params({ DurationSeconds: '3601' }), rules);
    expect(!result.ok && result.error.message).toBe('The Min/Max value of DurationSeconds is 15min/1hr.');
  });

  test('Policy: at most 2048 characters of policy grammar', () => {
    expect(codeOf({ Policy: POLICY })).toBe('ok');
    expect(codeOf({ Policy: '{"Version":"1"' })).toBe('InvalidParameter.PolicyGrammar');
    expect(codeOf({ Policy: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'x', Resource: 'y', Pad: 'p'.repeat(2048) }] }) })).toBe(
      'InvalidParameter.PolicySize',
    );
  });
});

describe('isPolicyDocument', () => {
  test.each([
    [POLICY, true],
    ['{"Version":"1","Statement":[{"Effect":"Deny","NotAction":"oss:*","NotResource":["*"],"Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}}}]}', true],
    ['{"Version":"2","Statement":[{"Effect":"Allow","Action":"x","Resource":"y"}]}', false],
    ['{"Version":"1","Statement":[]}', false],
    ['{"Version":"1","Statement":[{"Effect":"Maybe","Action":"x","Resource":"y"}]}', false],
    ['{"Version":"1","Statement":[{"Effect":"Allow","Resource":"y"}]}', false],
    ['{"Version":"1","Statement":[{"Effect":"Allow","Action":[],"Resource":"y"}]}', false],
    ['{"Version":"1","Statement":[{"Effect":"Allow","Action":"x","Resource":"y","Condition":[]}]}', false],
    ['[]', false],
    ['null', false],
  ])('%s → %s', (text, valid) => {
    expect(isPolicyDocument(text)).toBe(valid);
  });
});
