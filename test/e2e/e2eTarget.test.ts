import { e2eTarget, HOST_CLI } from './support/e2eTarget';

describe('e2eTarget', () => {
  test('the headless host by default, through its CLI stand-in', () => {
    expect(e2eTarget({})).toEqual({ kind: 'headless', cliPath: HOST_CLI });
    expect(e2eTarget({ E2E_TARGET: 'headless', WECHAT_DEVTOOLS_CLI: '/x/cli' })).toEqual({ kind: 'headless', cliPath: HOST_CLI });
  });

  test('DevTools when asked, with its CLI from the environment', () => {
    expect(e2eTarget({ E2E_TARGET: 'devtools', WECHAT_DEVTOOLS_CLI: '/Applications/wechatwebdevtools.app/Contents/MacOS/cli' })).toEqual({
      kind: 'devtools',
      cliPath: '/Applications/wechatwebdevtools.app/Contents/MacOS/cli',
    });
    expect(() => e2eTarget({ E2E_TARGET: 'devtools' })).toThrow('E2E_TARGET=devtools needs WECHAT_DEVTOOLS_CLI');
  });

  test('an endpoint already open is connected to; anything else is a mistake', () => {
    expect(e2eTarget({ E2E_WS_ENDPOINT: 'ws://127.0.0.1:9420' })).toEqual({ kind: 'connect', wsEndpoint: 'ws://127.0.0.1:9420' });
    expect(() => e2eTarget({ E2E_TARGET: 'phone' })).toThrow('E2E_TARGET must be headless or devtools, not "phone"');
  });
});
