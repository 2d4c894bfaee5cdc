import { parsePostPolicy } from './parsePostPolicy';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');

describe('parsePostPolicy', () => {
  test('normalises every condition shape; field names lose $ and case', () => {
    const policy = parsePostPolicy(
      b64({
        expiration: '2024-01-15T09:30:00.000Z',
        conditions: [
          { bucket: 'examplebucket' },
          ['content-length-range', 1, '10485760'],
          ['starts-with', '$Key', 'uploads/u123/'],
          ['eq', 'success_action_status', '200'],
          ['in', '$content-type', ['image/jpeg', 'image/png']],
          ['not-in', '$content-type', ['text/html']],
        ],
      }),
    );
    expect(policy.expiration.toISOString()).toBe('2024-01-15T09:30:00.000Z');
    expect(policy.conditions).toEqual([
      { op: 'eq', field: 'bucket', value: 'examplebucket', text: '["eq", "$bucket", "examplebucket"]' },
      { op: 'content-length-range', min: 1, max: 10485760, text: '["content-length-range", 1, "10485760"]' },
      { op: 'starts-with', field: 'key', value: 'uploads/u123/', text: '["starts-with", "$Key", "uploads/u123/"]' },
      { op: 'eq', field: 'success_action_status', value: '200', text: '["eq", "success_action_status", "200"]' },
      { op: 'in', field: 'content-type', values: ['image/jpeg', 'image/png'], text: '["in", "$content-type", ["image/jpeg","image/png"]]' },
      { op: 'not-in', field: 'content-type', values: ['text/html'], text: '["not-in", "$content-type", ["text/html"]]' },
    ]);
  });

  test.each([
    ['garbage base64', '%%%not-base64%%%'],
    ['not JSON', b64('{"expiration":')],
    ['a JSON array', b64([1])],
    ['no expiration', b64({ conditions: [{ bucket: 'b' }] })],
    ['no conditions', b64({ expiration: '2024-01-15T09:30:00.000Z' })],
    ['empty conditions', b64({ expiration: '2024-01-15T09:30:00.000Z', conditions: [] })],
    ['an extra parameter', b64({ test: 1, expiration: '2024-01-15T09:30:00.000Z', conditions: [{ bucket: 'b' }] })],
    ['a numeric expiration', b64({ expiration: 123, conditions: [{ bucket: 'b' }] })],
    ['a non-ISO expiration', b64({ expiration: '2023-02-19 13:19:00', conditions: [{ bucket: 'b' }] })],
    ['a condition that is a number', b64({ expiration: '2024-01-15T09:30:00Z', conditions: [123] })],
    ['a map with two properties', b64({ expiration: '2024-01-15T09:30:00Z', conditions: [{ a: '1', b: '2' }] })],
    ['a list without matching mode', b64({ expiration: '2024-01-15T09:30:00Z', conditions: [['$key']] })],
    ['an unknown operator', b64({ expiration: '2024-01-15T09:30:00Z', conditions: [['regex', '$key', '.*']] })],
    ['an inverted length range', b64({ expiration: '2024-01-15T09:30:00Z', conditions: [['content-length-range', 10, 1]] })],
    ['a negative length bound', b64({ expiration: '2024-01-15T09:30:00Z', conditions: [['content-length-range', -1, 1]] })],
  ])('%s is 400 InvalidPolicyDocument', (_, policy) => {
    expect(() => parsePostPolicy(policy)).toThrow(expect.objectContaining({ status: 400, code: 'InvalidPolicyDocument' }));
  });
});
