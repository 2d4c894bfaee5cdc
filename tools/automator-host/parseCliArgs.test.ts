import { parseCliArgs } from './parseCliArgs';

describe('parseCliArgs', () => {
  test('what automator.launch runs, with host options placed before "auto" through its args', () => {
    expect(parseCliArgs(['--api', 'http://127.0.0.1:4000', 'auto', '--project', '/p', '--auto-port', '9421', '--trust-project'])).toEqual({
      command: 'auto',
      projectPath: '/p',
      port: 9421,
      apiBaseUrl: 'http://127.0.0.1:4000',
    });
  });

  test('serve in the foreground; DevTools-only options are accepted and ignored', () => {
    expect(parseCliArgs(['serve', '--project', '.', '--port', '0', '--user', 'alice', '--idle-exit', '30', '--ticket', 't'])).toEqual({
      command: 'serve',
      projectPath: '.',
      port: 0,
      user: 'alice',
      idleExitSec: 30,
    });
    expect(parseCliArgs(['auto', '--project', '.']).port).toBe(9420);
    expect(parseCliArgs(['serve', '--project', '.', '--log-file', '/tmp/h.log']).logFile).toBe('/tmp/h.log');
    expect(parseCliArgs(['--storage-file', '/tmp/s.json', 'auto', '--project', '.']).storageFile).toBe('/tmp/s.json');
  });

  test.each([
    [[], 'usage: devtools-cli'],
    [['open', '--project', '.'], 'usage: devtools-cli'],
    [['auto'], '--project <path> is required'],
    [['auto', '--project'], '--project needs a value'],
    [['auto', '--project', '.', '--auto-port', 'x'], 'invalid port "x"'],
    [['auto', '--project', '.', '--bogus'], 'unknown option --bogus'],
    [['auto', 'extra', '--project', '.'], 'unexpected argument extra'],
    [['serve', '--project', '.', '--idle-exit', '0'], 'invalid --idle-exit "0"'],
  ])('%j is refused', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
