import { getDataAtPath } from './dataPath';
import { notModelledError, type Handlers, type Params } from './dispatcher';
import type { HostContext } from './hostContext';
import type { HostPage } from './miniProgramRuntime';
import { assertSupportedSelector } from './selectorSupport';
import type { ExparserNode, RenderedNode } from './simulateTypes';
import { innerText, toWxml, wxmlTagName } from './viewTree';

const LAYOUT_PROPERTY = /^(offset|client|scroll)(Width|Height|Top|Left)$/;
const NOT_PROPERTIES = new Set(['class', 'style', 'id', 'slot']);

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
/** Lets the microtasks j-component dispatches events on run, and the handlers they reach. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function isCustomComponent(node: RenderedNode): boolean {
  return !node.toJSON().tagName.startsWith('wx-');
}

/** Template attributes of a node: what WXML set on it (built-in components keep their props here). */
function templateAttrs(node: RenderedNode): { name: string; value: unknown }[] {
  return node._exparserNode._vt?.attrs ?? [];
}

/** The `Page.*` and `Element.*` methods the client sends. */
export function pageHandlers(ctx: HostContext): Handlers {
  // Required here, not at import: exparser picks its DOM backend when first loaded, so jsdom's
  // globals must exist by then. j-component exports only its root class; the element wrapper
  // (its base class) is how a node below the root gets events dispatched on it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const RootComponent = require('j-component/src/render/component');
  const ElementWrapper = Object.getPrototypeOf(RootComponent) as new (node: ExparserNode) => RenderedNode;
  const exparser = require('miniprogram-exparser') as { Component: { listPublicProperties(node: ExparserNode): string[] } };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const wrappers = new WeakMap<ExparserNode, RenderedNode>();

  function pageOf(params: Params): HostPage {
    const page = ctx.stack.find(Number(params.pageId));
    if (!page) throw new Error(`page ${params.pageId} is not in the page stack`);
    return page;
  }

  function describe(page: HostPage, node: RenderedNode) {
    wrappers.set(node._exparserNode, node);
    const elementId = ctx.elements.idOf(page.id, node._exparserNode);
    const tagName = wxmlTagName(node.toJSON().tagName);
    return isCustomComponent(node) ? { elementId, tagName, nodeId: elementId } : { elementId, tagName };
  }

  function elementOf(params: Params): { page: HostPage; node: RenderedNode } {
    const page = pageOf(params);
    const exparserNode = ctx.elements.find(page.id, String(params.elementId));
    if (!exparserNode) throw new Error(`element ${params.elementId} is not on page ${page.id}`);
    return { page, node: wrappers.get(exparserNode) ?? new ElementWrapper(exparserNode) };
  }

  function below(node: RenderedNode, selector: string): RenderedNode[] {
    assertSupportedSelector(selector);
    // A custom component's own view is in its shadow tree; a built-in's children are its own.
    if (isCustomComponent(node)) return node.querySelectorAll(selector);
    return node._exparserNode.querySelectorAll(selector).map((n) => wrappers.get(n) ?? new ElementWrapper(n));
  }

  function inPage(page: HostPage, selector: string): RenderedNode[] {
    assertSupportedSelector(selector);
    return page.rendered.querySelectorAll(selector);
  }

  function first(found: RenderedNode[], selector: string): RenderedNode {
    if (found.length === 0) throw new Error(`no element matches "${selector}"`);
    return found[0];
  }

  function componentInstance(method: string, node: RenderedNode) {
    if (!isCustomComponent(node) || !node.instance) throw new Error(`${method}: <${wxmlTagName(node.toJSON().tagName)}> is not a custom component`);
    return node.instance;
  }

  async function callMethod(target: Record<string, unknown>, method: string, args: unknown) {
    const fn = target[method];
    if (typeof fn !== 'function') throw new Error(`there is no method "${method}"`);
    return { result: await fn.apply(target, Array.isArray(args) ? args : []) };
  }

  const dataAt = (data: unknown, path: unknown) => ({ data: typeof path === 'string' && path !== '' ? getDataAtPath(data, path) : data });

  async function touch(node: RenderedNode, type: string, params: Params) {
    node.dispatchEvent(type, { touches: params.touches, changedTouches: params.changedTouches });
    await settle();
  }

  return {
    'Page.getElement': (params) => {
      const page = pageOf(params);
      return describe(page, first(inPage(page, String(params.selector)), String(params.selector)));
    },
    'Page.getElements': (params) => {
      const page = pageOf(params);
      return { elements: inPage(page, String(params.selector)).map((n) => describe(page, n)) };
    },
    'Page.getData': (params) => dataAt(pageOf(params).instance.data, params.path),
    'Page.setData': (params) => {
      pageOf(params).instance.setData(params.data ?? {});
    },
    'Page.callMethod': (params) => callMethod(pageOf(params).instance, String(params.method), params.args),
    'Page.getWindowProperties': () => {
      throw notModelledError('Page.getWindowProperties', 'layout (window and scroll sizes)');
    },

    'Element.getElement': (params) => {
      const { page, node } = elementOf(params);
      return describe(page, first(below(node, String(params.selector)), String(params.selector)));
    },
    'Element.getElements': (params) => {
      const { page, node } = elementOf(params);
      return { elements: below(node, String(params.selector)).map((n) => describe(page, n)) };
    },
    'Element.tap': async (params) => {
      const { node } = elementOf(params);
      // A tap is a touch that starts and ends in place: j-component turns it into the tap event.
      node.dispatchEvent('touchstart', { touches: [{ x: 0, y: 0 }], changedTouches: [{ x: 0, y: 0 }] });
      node.dispatchEvent('touchend', { touches: [], changedTouches: [{ x: 0, y: 0 }] });
      await settle();
    },
    'Element.touchstart': (params) => touch(elementOf(params).node, 'touchstart', params),
    'Element.touchmove': (params) => touch(elementOf(params).node, 'touchmove', params),
    'Element.touchend': (params) => touch(elementOf(params).node, 'touchend', params),
    'Element.triggerEvent': async (params) => {
      elementOf(params).node.dispatchEvent(String(params.type), { detail: params.detail ?? {} });
      await settle();
    },
    'Element.getDOMProperties': (params) => {
      const { node } = elementOf(params);
      const names: string[] = Array.isArray(params.names) ? params.names : [];
      return {
        properties: names.map((name) => {
          if (name === 'innerText') return innerText(node.toJSON());
          if (LAYOUT_PROPERTY.test(name)) throw notModelledError('Element.getDOMProperties', `layout (${name})`);
          const value = node.dom[name];
          return value === null || ['string', 'number', 'boolean'].includes(typeof value) ? value : undefined;
        }),
      };
    },
    'Element.getAttributes': (params) => {
      const attrs = templateAttrs(elementOf(params).node);
      const names: string[] = Array.isArray(params.names) ? params.names : [];
      return {
        attributes: names.map((name) => {
          const value = attrs.find((a) => a.name === name)?.value;
          return value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
        }),
      };
    },
    'Element.getProperties': (params) => {
      const { node } = elementOf(params);
      const names: string[] = Array.isArray(params.names) ? params.names : [];
      const custom = isCustomComponent(node);
      const attrs = templateAttrs(node).filter((a) => !NOT_PROPERTIES.has(a.name) && !a.name.startsWith('data-'));
      const publicNames = custom ? exparser.Component.listPublicProperties(node._exparserNode) : attrs.map((a) => camelCase(a.name));
      return {
        properties: names.map((name) => {
          if (name === '__propPublic') return Object.fromEntries(publicNames.map((n) => [n, true]));
          // A component's properties are part of its data.
          if (custom) return node.instance?.data[name];
          return attrs.find((a) => camelCase(a.name) === name)?.value;
        }),
      };
    },
    'Element.getStyles': (params) => {
      const { node } = elementOf(params);
      const style = (globalThis as unknown as { getComputedStyle(el: unknown): Record<string, unknown> & { getPropertyValue(n: string): string } }).getComputedStyle(node.dom);
      const names: string[] = Array.isArray(params.names) ? params.names : [];
      return { styles: names.map((name) => style.getPropertyValue(name) || (style[name] as string | undefined) || '') };
    },
    'Element.getWXML': (params) => ({ wxml: toWxml(elementOf(params).node.toJSON(), params.type === 'outer' ? 'outer' : 'inner') }),
    'Element.getOffset': () => {
      throw notModelledError('Element.getOffset', 'layout (offsets)');
    },
    'Element.callFunction': (params) => {
      throw notModelledError('Element.callFunction', `built-in component behaviour (${params.functionName})`);
    },
    'Element.getData': (params) => dataAt(componentInstance('Element.getData', elementOf(params).node).data, params.path),
    'Element.setData': (params) => {
      componentInstance('Element.setData', elementOf(params).node).setData(params.data ?? {});
    },
    'Element.callMethod': (params) => callMethod(componentInstance('Element.callMethod', elementOf(params).node), String(params.method), params.args),
  };
}
