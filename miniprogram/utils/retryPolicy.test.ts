import { ApiRequestError } from './sendWxRequest';
import { OssPostError } from './ossPostObject';
import { CancelledError, createCancelToken } from './cancelToken';
import { backoffMs, isRetryable, isRetryableStatus, withRetry } from './retryPolicy';

describe('which failures retry', () => {
  test.each([
    [0, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [599, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
    [413, false],
    [200, false],
  ])('status %i → %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
    expect(isRetryable(new ApiRequestError(status, 'x', 'x'))).toBe(retryable);
    expect(isRetryable(new OssPostError(status, 'x', 'x'))).toBe(retryable);
  });

  test('plain errors and cancellation never retry', () => {
    expect(isRetryable(new Error('boom'))).toBe(false);
    expect(isRetryable('boom')).toBe(false);
    expect(isRetryable(new CancelledError())).toBe(false);
  });
});

describe('backoffMs', () => {
  test('300 ms · 2^(n-1), capped', () => {
    const max = () => 1;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(n, max, { jitter: 'none' }))).toEqual([300, 600, 1200, 2400, 4800, 9600, 10000, 10000]);
    expect(backoffMs(3, max, { jitter: 'none', capMs: 1000 })).toBe(1000);
  });

  test('full jitter spans 0…d, equal jitter d/2…d', () => {
    expect(backoffMs(3, () => 0, { jitter: 'full' })).toBe(0);
    expect(backoffMs(3, () => 0.5, { jitter: 'full' })).toBe(600);
    expect(backoffMs(3, () => 1, { jitter: 'full' })).toBe(1200);
    expect(backoffMs(3, () => 0, { jitter: 'equal' })).toBe(600);
    expect(backoffMs(3, () => 0.5, { jitter: 'equal' })).toBe(900);
    expect(backoffMs(3, () => 1, { jitter: 'equal' })).toBe(1200);
    // The default is equal jitter: never zero, still spread.
    expect(backoffMs(1, () => 0.25)).toBe(188);
  });
});

describe('withRetry', () => {
  const setup = () => {
    const waits: number[] = [];
    return { waits, sleep: async (ms: number) => void waits.push(ms), random: () => 0.5 };
  };

  test('retries retryable failures with growing waits, up to maxAttempts', async () => {
    const { waits, sleep, random } = setup();
    let calls = 0;
    const attempt = async () => {
      calls++;
      throw new ApiRequestError(503, 'unavailable', 'try later');
    };
    await expect(withRetry(attempt, { maxAttempts: 4, sleep, random, jitter: 'full' })).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(4);
    expect(waits).toEqual([150, 300, 600]);
  });

  test('succeeds after transient failures and passes the attempt number', async () => {
    const { waits, sleep, random } = setup();
    const seen: number[] = [];
    const result = await withRetry(
      async (n) => {
        seen.push(n);
        if (n < 3) throw new OssPostError(0, 'network_error', 'reset');
        return 'ok';
      },
      { maxAttempts: 4, sleep, random },
    );
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
    expect(waits).toEqual([225, 450]);
  });

  test('does not retry a 4xx', async () => {
    const { waits, sleep, random } = setup();
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new ApiRequestError(400, 'invalid_request', 'bad');
        },
        { maxAttempts: 4, sleep, random },
      ),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    expect(calls).toBe(1);
    expect(waits).toEqual([]);
  });

  test('stops when cancelled during a wait', async () => {
    const token = createCancelToken();
    let calls = 0;
    const never = () => new Promise<void>(() => undefined);
    const run = withRetry(
      async () => {
        calls++;
        throw new ApiRequestError(500, 'internal', 'x');
      },
      { maxAttempts: 4, sleep: never, random: () => 0, cancel: token },
    );
    await Promise.resolve();
    token.cancel();
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(calls).toBe(1);
  });
});
