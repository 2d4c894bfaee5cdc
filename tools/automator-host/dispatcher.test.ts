import { createDispatcher, notModelledError, toWire } from './dispatcher';

describe('createDispatcher', () => {
  test('answers with the handler result as JSON; undefined is {}', async () => {
    const dispatch = createDispatcher({
      'Tool.getInfo': () => ({ SDKVersion: '3.6.0', skipped: undefined }),
      'App.exit': async () => undefined,
    });
    await expect(dispatch('Tool.getInfo', {})).resolves.toEqual({ SDKVersion: '3.6.0' });
    await expect(dispatch('App.exit', undefined)).resolves.toEqual({});
  });

  test('an unknown method is an error naming it, also for names on Object.prototype', async () => {
    const dispatch = createDispatcher({});
    await expect(dispatch('Tool.enableRemoteDebug', {})).rejects.toThrow('Tool.enableRemoteDebug is not supported by the headless automator host');
    await expect(dispatch('toString', {})).rejects.toThrow('toString is not supported');
  });

  test('handler errors pass through', async () => {
    const dispatch = createDispatcher({
      'App.captureScreenshot': () => {
        throw notModelledError('App.captureScreenshot', 'screenshots');
      },
    });
    await expect(dispatch('App.captureScreenshot', {})).rejects.toThrow('App.captureScreenshot: screenshots is not modelled');
  });
});

describe('toWire', () => {
  test('JSON semantics: dates as text, functions dropped', () => {
    expect(toWire({ at: new Date(0), fn: () => 1, n: [1] })).toEqual({ at: '1970-01-01T00:00:00.000Z', n: [1] });
  });
});
