import { spawn } from 'node:child_process';

/**
 * Runs `script` in a child Node process with `input` as its JSON argument and resolves what it
 * printed, parsed as JSON. Memory tests send their load from a child so the RSS they sample is the
 * server's alone (and the sender's hashing runs on the other core).
 */
export function runNodeScript<T>(script: string, input: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as T);
      } catch {
        reject(new Error(`the script printed ${JSON.stringify(out)}`));
      }
    });
  });
}
