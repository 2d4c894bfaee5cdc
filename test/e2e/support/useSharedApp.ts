import { e2eTarget } from './e2eTarget';
import { openMiniProgram, type MiniProgram } from './openMiniProgram';
import { startE2eStack, type E2eStack } from './startE2eStack';

export interface SharedApp {
  readonly cloud: E2eStack;
  readonly miniProgram: MiniProgram;
}

/**
 * One stack and one app session for a spec file's tests, in order (each launch costs the client
 * seconds): started before them, closed after, the wx methods the spec mocks restored first
 * (DevTools keeps a mock for the next session).
 */
export function useSharedApp(mockedMethods: readonly string[]): SharedApp {
  let cloud: E2eStack | undefined;
  let miniProgram: MiniProgram | undefined;
  beforeAll(async () => {
    const target = e2eTarget(process.env);
    cloud = await startE2eStack(target);
    miniProgram = await openMiniProgram(target, { apiUrl: cloud.apiUrl });
  }, 90_000);
  afterAll(async () => {
    for (const method of mockedMethods) await miniProgram?.restoreWxMethod(method).catch(() => undefined);
    await miniProgram?.close();
    await cloud?.close();
  }, 30_000);
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the spec's ${what} is not started (used outside a test?)`);
    return value;
  };
  return {
    get cloud() {
      return started(cloud, 'stack');
    },
    get miniProgram() {
      return started(miniProgram, 'app');
    },
  };
}
