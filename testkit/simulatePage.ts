import type { PageTree } from './buildPageTree';

/** The part of the jsdom element behind a node these tests read (the root tsconfig has no DOM lib). */
interface DomElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
}

/** The part of a j-component node (as miniprogram-simulate returns it) these tests use. */
export interface RenderedNode {
  dom: DomElement;
  data: Record<string, any>;
  instance: Record<string, any>;
  dispatchEvent(name: string, options?: { detail?: unknown }): void;
  querySelector(selector: string): RenderedNode | undefined;
  querySelectorAll(selector: string): RenderedNode[];
  toJSON(): { attrs: { name: string; value: unknown }[] };
  attach(parent: unknown): void;
  detach(): void;
}

interface Simulate {
  load(path: string, options: { rootPath: string; compiler: 'official' }): string;
  render(id: string, properties?: Record<string, unknown>): RenderedNode;
}

// miniprogram-simulate ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const simulate: Simulate = require('miniprogram-simulate');

/**
 * Renders a page of the tree afresh: `jest.resetModules()` first, so the page module runs its
 * `Component()` again (simulate registers a definition per load), and always the tree's one root.
 */
export function renderPage(tree: PageTree, page: string): RenderedNode {
  jest.resetModules();
  const id = simulate.load(tree.pagePath(page), { rootPath: tree.rootPath, compiler: 'official' });
  const rendered = simulate.render(id);
  const { document } = globalThis as unknown as { document: { createElement(tag: string): unknown } };
  rendered.attach(document.createElement('parent-wrapper'));
  return rendered;
}

/** An attribute as the template set it (built-in components are stubs: their props stay attributes). */
export function attr(node: RenderedNode | undefined, name: string): unknown {
  if (!node) throw new Error(`no node to read ${name} from`);
  return node.toJSON().attrs.find((a) => a.name === name)?.value;
}

export function text(node: RenderedNode | undefined): string {
  return node?.dom.textContent?.trim() ?? '';
}

export const texts = (nodes: RenderedNode[]) => nodes.map(text);

/** Polls `check` on real timers until it returns something other than undefined/false. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, attempts = 500): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}
