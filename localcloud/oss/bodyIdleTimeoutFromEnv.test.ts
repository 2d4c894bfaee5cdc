import { bodyIdleTimeoutFromEnv } from './bodyIdleTimeoutFromEnv';

test('seconds to milliseconds; unset is the default; nonsense stops startup with the name', () => {
  expect(bodyIdleTimeoutFromEnv({ LOCAL_OSS_BODY_TIMEOUT_SECONDS: '30' })).toBe(30_000);
  expect(bodyIdleTimeoutFromEnv({ LOCAL_OSS_BODY_TIMEOUT_SECONDS: '0' })).toBe(0);
  expect(bodyIdleTimeoutFromEnv({})).toBeUndefined();
  expect(() => bodyIdleTimeoutFromEnv({ LOCAL_OSS_BODY_TIMEOUT_SECONDS: 'five' })).toThrow(/^LOCAL_OSS_BODY_TIMEOUT_SECONDS must be/);
  expect(() => bodyIdleTimeoutFromEnv({ LOCAL_OSS_BODY_TIMEOUT_SECONDS: '-1' })).toThrow(/LOCAL_OSS_BODY_TIMEOUT_SECONDS/);
});
