import { checkContentLength, contentLengthRange, evaluatePolicyConditions, uncoveredSignatureFields } from './evaluatePolicyConditions';
import type { ParsedCondition } from './parsePostPolicy';

const eq = (field: string, value: string): ParsedCondition => ({ op: 'eq', field, value, text: `["eq", "$${field}", "${value}"]` });
const startsWith = (field: string, value: string): ParsedCondition => ({ op: 'starts-with', field, value, text: `["starts-with", "$${field}", "${value}"]` });
const within = (op: 'in' | 'not-in', field: string, values: string[]): ParsedCondition => ({ op, field, values, text: `["${op}", "$${field}", …]` });
const range = (min: number, max: number): ParsedCondition => ({ op: 'content-length-range', min, max, text: '' });

const form = (fields: Record<string, string>) => (name: string) => fields[name];

describe('evaluatePolicyConditions', () => {
  const conditions = [
    eq('bucket', 'family-album'),
    startsWith('key', 'families/7/'),
    eq('success_action_status', '200'),
    within('in', 'content-type', ['image/jpeg', 'video/mp4']),
    within('not-in', 'content-type', ['text/html']),
    range(1, 10),
  ];
  const good = { bucket: 'family-album', key: 'families/7/abc.jpg', success_action_status: '200', 'content-type': 'image/jpeg' };

  test('a form that meets every condition passes', () => {
    expect(evaluatePolicyConditions(conditions, form(good))).toBeUndefined();
  });

  test.each([
    ['another bucket', { bucket: 'elsewhere' }, '["eq", "$bucket", "family-album"]'],
    ['a key outside the prefix', { key: 'families/8/abc.jpg' }, '["starts-with", "$key", "families/7/"]'],
    ['another status', { success_action_status: '201' }, '["eq", "$success_action_status", "200"]'],
    ['a type not in the list', { 'content-type': 'image/gif' }, '["in", "$content-type", …]'],
    ['a missing field', { success_action_status: undefined }, '["eq", "$success_action_status", "200"]'],
  ])('%s fails with AccessDenied naming the condition', (_, change, text) => {
    const err = evaluatePolicyConditions(conditions, form({ ...good, ...change } as Record<string, string>));
    expect(err).toMatchObject({ status: 403, code: 'AccessDenied', message: `Invalid according to Policy: Policy Condition failed: ${text}` });
  });

  test('not-in refuses listed values', () => {
    expect(evaluatePolicyConditions([within('not-in', 'content-type', ['text/html'])], form({ 'content-type': 'text/html' }))?.code).toBe('AccessDenied');
  });

  test('starts-with an empty prefix allows any value but not a missing field', () => {
    expect(evaluatePolicyConditions([startsWith('x-oss-meta-a', '')], form({ 'x-oss-meta-a': 'anything' }))).toBeUndefined();
    expect(evaluatePolicyConditions([startsWith('x-oss-meta-a', '')], form({}))?.code).toBe('AccessDenied');
  });
});

describe('uncoveredSignatureFields', () => {
  test('lists V4 fields the form carries but the policy does not constrain', () => {
    const present = new Set(['key', 'x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-security-token', 'x-oss-signature']);
    expect(uncoveredSignatureFields([eq('x-oss-credential', 'c'), eq('x-oss-date', 'd')], present)).toEqual(['x-oss-signature-version', 'x-oss-security-token']);
    expect(uncoveredSignatureFields([eq('x-oss-signature-version', 'v'), eq('x-oss-credential', 'c'), eq('x-oss-date', 'd')], new Set(['x-oss-date']))).toEqual([]);
  });
});

describe('content length', () => {
  test('the range is the intersection of all ranges', () => {
    expect(contentLengthRange([eq('a', 'b')])).toBeUndefined();
    expect(contentLengthRange([range(1, 100), range(10, 1000)])).toEqual({ min: 10, max: 100 });
  });

  test('actual sizes outside the range are EntityTooLarge / EntityTooSmall', () => {
    expect(checkContentLength({ min: 1, max: 10 }, 10)).toBeUndefined();
    expect(checkContentLength({ min: 1, max: 10 }, 11)).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect(checkContentLength({ min: 1, max: 10 }, 0)).toMatchObject({ status: 400, code: 'EntityTooSmall' });
    expect(checkContentLength(undefined, 1e12)).toBeUndefined();
  });
});
