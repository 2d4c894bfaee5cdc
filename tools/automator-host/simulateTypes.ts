/**
 * The parts of miniprogram-simulate and j-component (which ship no types) the host uses.
 * A `RenderedNode` wraps one exparser node; `node` is that exparser node, stable while it lives.
 */
import type { ViewElement } from './viewTree';

export interface ExparserNode {
  readonly is?: string;
  readonly $$?: DomElement;
  readonly _vt?: { attrs: { name: string; value: unknown }[] };
  querySelector(selector: string): ExparserNode | null;
  querySelectorAll(selector: string): ExparserNode[];
}

/** The jsdom element behind a node (the root tsconfig has no DOM lib). */
export interface DomElement {
  textContent: string | null;
  remove(): void;
  [name: string]: unknown;
}

export interface PageInstance {
  data: Record<string, unknown>;
  setData(data: Record<string, unknown>, callback?: () => void): void;
  [name: string]: unknown;
}

export interface RenderedNode {
  readonly _exparserNode: ExparserNode;
  readonly dom: DomElement;
  readonly data: Record<string, unknown> | undefined;
  readonly instance: PageInstance | undefined;
  dispatchEvent(name: string, options?: { detail?: unknown; touches?: unknown[]; changedTouches?: unknown[] }): void;
  querySelector(selector: string): RenderedNode | undefined;
  querySelectorAll(selector: string): RenderedNode[];
  toJSON(): ViewElement;
  triggerPageLifeTime(name: string, ...args: unknown[]): void;
}

export interface RenderedPage extends RenderedNode {
  readonly instance: PageInstance;
  attach(parent: unknown): void;
  detach(): void;
}

export interface Simulate {
  load(path: string, options: { rootPath: string; compiler: 'official' }): string;
  render(id: string, properties?: Record<string, unknown>): RenderedPage;
}
