import { ossFaultsFromEnv } from './ossFaults';

describe('ossFaultsFromEnv', () => {
  test('reads only the variables that are set', () => {
    expect(ossFaultsFromEnv({})).toEqual({});
    expect(
      ossFaultsFromEnv({
        OSS_FAULT_LATENCY_MS: '250',
        OSS_FAULT_BANDWIDTH_BPS: '4194304',
        OSS_FAULT_BANDWIDTH_TOTAL_BPS: '10000000',
        OSS_FAULT_FAILURE_RATE: '0.1',
        OSS_FAULT_FAILURE_STATUS: '500',
        OSS_FAULT_CUT_RATE: ' 0.05 ',
        OSS_FAULT_STALL_RATE: '0.02',
        OSS_FAULT_LINK_DOWN_AFTER_BYTES: '20971520',
        UNRELATED: 'x',
      }),
    ).toEqual({
      latencyMs: 250,
      bytesPerSecPerConnection: 4194304,
      bytesPerSecTotal: 10000000,
      failureRate: 0.1,
      failureStatus: 500,
      cutRate: 0.05,
      stallRate: 0.02,
      linkDownAfterBytes: 20971520,
    });
    expect(ossFaultsFromEnv({ OSS_FAULT_LATENCY_MS: '' })).toEqual({});
  });

  test.each([
    ['OSS_FAULT_FAILURE_RATE', '1.5'],
    ['OSS_FAULT_CUT_RATE', '-0.1'],
    ['OSS_FAULT_LATENCY_MS', 'slow'],
    ['OSS_FAULT_FAILURE_STATUS', '200'],
    ['OSS_FAULT_FAILURE_STATUS', '503.5'],
    ['OSS_FAULT_BANDWIDTH_BPS', '-1'],
    ['OSS_FAULT_LINK_DOWN_AFTER_BYTES', '1.5'],
  ])('%s=%s stops with a clear message', (name, value) => {
    expect(() => ossFaultsFromEnv({ [name]: value })).toThrow(new RegExp(`^${name} must be .*, got "${value.replace('.', '\\.')}"$`));
  });
});
