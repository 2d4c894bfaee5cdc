import { answerWxCall, isSyncApi, WxFailure } from './wxCall';

describe('isSyncApi', () => {
  test.each([
    ['getStorageSync', true],
    ['canIUse', true],
    ['createSelectorQuery', true],
    ['onAppShow', true],
    ['getFileSystemManager', true],
    ['request', false],
    ['chooseMedia', false],
    ['reLaunch', false],
    ['getSystemInfo', false],
  ])('%s → %s', (name, sync) => expect(isSyncApi(name)).toBe(sync));
});

describe('answerWxCall', () => {
  test('success then complete, on a later tick, with an ok errMsg', async () => {
    const calls: string[] = [];
    const returned = answerWxCall('login', { success: (r) => calls.push(`success ${r.errMsg} ${r.code}`), complete: () => calls.push('complete') }, () => ({ code: 'c' }));
    expect(returned).toBeUndefined();
    expect(calls).toEqual([]);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual(['success login:ok c', 'complete']);
  });

  test('fail then complete with the errMsg of a WxFailure, a thrown error, or a result that says :fail', async () => {
    const seen: string[] = [];
    const fail = (e: { errMsg: string }) => seen.push(e.errMsg);
    answerWxCall('chooseMedia', { fail }, () => {
      throw new WxFailure('chooseMedia', 'cancel');
    });
    answerWxCall('request', { fail }, () => Promise.reject(new Error('socket hang up')));
    answerWxCall('uploadFile', { fail }, () => ({ errMsg: 'uploadFile:fail mocked' }));
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(['chooseMedia:fail cancel', 'request:fail socket hang up', 'uploadFile:fail mocked']);
  });

  test('a promise when no callback is given', async () => {
    await expect(answerWxCall('getSystemInfo', {}, () => ({ platform: 'devtools' }))).resolves.toEqual({ errMsg: 'getSystemInfo:ok', platform: 'devtools' });
    await expect(answerWxCall('navigateBack', undefined, () => Promise.reject(new Error('navigateBack:fail cannot navigate back at first page.')))).rejects.toEqual({
      errMsg: 'navigateBack:fail cannot navigate back at first page.',
    });
  });
});
