import { JSDOM } from 'jsdom';

/** jsdom's window on Node's global object, where j-component and miniprogram-simulate look for it. */
const DOM_GLOBALS = [
  'window',
  'document',
  'navigator',
  'Node',
  'Element',
  'HTMLElement',
  'Text',
  'Event',
  'CustomEvent',
  'TouchEvent',
  'MutationObserver',
  'getComputedStyle',
  'requestAnimationFrame',
  'cancelAnimationFrame',
] as const;
/** Functions that need the window as `this`. */
const WINDOW_FUNCTIONS = new Set<string>(['getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame']);

/**
 * Installs a jsdom document as the process's global DOM. Node's own `Event` and `CustomEvent`
 * are replaced: jsdom's `dispatchEvent` accepts only its own. One per process: simulate and
 * j-component keep module-level state.
 */
export function installDom(): { window: JSDOM['window']; close(): void } {
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true, url: 'http://localhost/' });
  const globals = globalThis as Record<string, unknown>;
  for (const name of DOM_GLOBALS) {
    const value = name === 'window' ? dom.window : (dom.window as unknown as Record<string, unknown>)[name];
    const bound = WINDOW_FUNCTIONS.has(name) ? (value as (...args: unknown[]) => unknown).bind(dom.window) : value;
    Object.defineProperty(globals, name, { value: bound, configurable: true, writable: true });
  }
  return { window: dom.window, close: () => dom.window.close() };
}
