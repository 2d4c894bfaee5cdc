import type { ElementRegistry } from './elementRegistry';
import type { HostPage } from './miniProgramRuntime';
import type { PageStack } from './pageStack';
import type { ExparserNode } from './simulateTypes';
import type { WxMocks } from './wxMocks';

/** What the protocol handlers act on: one running Mini Program. */
export interface HostContext {
  stack: PageStack<HostPage>;
  wx: Record<string, unknown>;
  mocks: WxMocks;
  elements: ElementRegistry<ExparserNode>;
  /** Evaluates a function declaration sent by the client, in the app's global scope. */
  evaluate(source: string): unknown;
  /** Sends an event to the connected clients. */
  emit(method: string, params: unknown): void;
  /** Starts forwarding the app's console as `App.logAdded`. */
  enableLog(): void;
  sdkVersion: string;
  /**
   * `App.exit`: the Mini Program is closed as its user closes it — the current page and the app get
   * onHide and nothing is unloaded: WeChat destroys a closed app later without calling it again.
   */
  exitApp(): void;
  /** Ends the host after the current reply has gone out. */
  shutdown(): void;
}
