import { spawn } from 'node:child_process';
import path from 'node:path';

/** `npm start` as a person runs it: the entry point with an environment, its exit code and what it printed. */
function runMain(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../server/src/main.ts')], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('a bad setting stops npm start with one line naming it and its rule, never its value', () => {
  test.each([
    ['POLICY_TTL_SECONDS', { POLICY_TTL_SECONDS: '1200' }, /must be at most 900/],
    ['DATABASE_URL', { DATABASE_URL: 'postgress://app:S3cretMark@db/x' }, /must start with postgres:\/\/ or postgresql:\/\//],
    ['REDIS_URL', { REDIS_URL: 'http://:S3cretMark@127.0.0.1:6379' }, /must be a redis:\/\/ or rediss:\/\/ URL/],
    ['LOCAL_CLOUD_SECRET', { HOST: '0.0.0.0' }, /the default is public/],
  ])('%s', async (name, env, rule) => {
    const { code, stdout, stderr } = await runMain(env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Configuration error: ${name} `);
    expect(lines[0]).toMatch(rule);
    expect(stderr).not.toContain('S3cretMark');
  }, 30_000);
});
