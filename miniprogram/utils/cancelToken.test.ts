import { CancelledError, createCancelToken, raceCancel, throwIfCancelled } from './cancelToken';
import { deferred } from '../../testkit/deferred';

describe('createCancelToken', () => {
  test('runs each listener once, and late listeners at once', () => {
    const token = createCancelToken();
    const calls: string[] = [];
    token.onCancel(() => calls.push('early'));
    expect(token.cancelled).toBe(false);
    token.cancel();
    token.cancel();
    token.onCancel(() => calls.push('late'));
    expect(token.cancelled).toBe(true);
    expect(calls).toEqual(['early', 'late']);
  });

  test('keeps resumable work only when the first cancel says so', () => {
    const leaving = createCancelToken();
    expect(leaving.keepsResumable).toBe(false);
    leaving.cancel({ keepResumable: true });
    leaving.cancel();
    expect(leaving.keepsResumable).toBe(true);
    const user = createCancelToken();
    user.cancel();
    user.cancel({ keepResumable: true });
    expect(user.keepsResumable).toBe(false);
  });

  test('throwIfCancelled and raceCancel reject with CancelledError (code "cancelled")', async () => {
    const token = createCancelToken();
    expect(() => throwIfCancelled(token)).not.toThrow();
    const slow = deferred<number>();
    const raced = raceCancel(slow.promise, token);
    token.cancel();
    await expect(raced).rejects.toBeInstanceOf(CancelledError);
    await expect(raced).rejects.toMatchObject({ code: 'cancelled', retryable: false });
    expect(() => throwIfCancelled(token)).toThrow(CancelledError);
    await expect(raceCancel(Promise.resolve(7), undefined)).resolves.toBe(7);
  });
});
