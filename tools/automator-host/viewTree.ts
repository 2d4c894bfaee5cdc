/** The rendered view as j-component's `toJSON()` gives it: built-in tags as `wx-view`, texts as strings. */
export type ViewNode = string | ViewElement;

export interface ViewElement {
  tagName: string;
  attrs: { name: string; value: unknown }[];
  children: ViewNode[];
}

/** WXML's tag name: `wx-view` → `view`; custom components keep theirs. */
export function wxmlTagName(tagName: string): string {
  return tagName.startsWith('wx-') ? tagName.slice(3) : tagName;
}

/** Tags WeChat lays out as blocks: their text starts on a line of its own, as `innerText` shows it. */
const BLOCK_TAGS = new Set(['view', 'scroll-view', 'swiper', 'swiper-item', 'movable-area', 'movable-view', 'cover-view', 'button', 'form', 'picker-view', 'rich-text']);

/**
 * An approximation of the view layer's `innerText` (jsdom has none): text with runs of white
 * space collapsed, block elements on lines of their own. It follows the tags, not CSS.
 */
export function innerText(node: ViewNode): string {
  const parts: string[] = [];
  const walk = (n: ViewNode) => {
    if (typeof n === 'string') {
      parts.push(n.replace(/\s+/g, ' '));
      return;
    }
    const block = BLOCK_TAGS.has(wxmlTagName(n.tagName));
    if (block) parts.push('\n');
    n.children.forEach(walk);
    if (block) parts.push('\n');
  };
  walk(node);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (text: string) => escapeText(text).replace(/"/g, '&quot;');

function attrText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

/** The node as WXML, for `Element.getWXML`: `outer` includes the node's own tag. */
export function toWxml(node: ViewNode, type: 'inner' | 'outer'): string {
  if (typeof node === 'string') return escapeText(node);
  const inner = node.children.map((child) => toWxml(child, 'outer')).join('');
  if (type === 'inner') return inner;
  const tag = wxmlTagName(node.tagName);
  const attrs = node.attrs
    .filter((a) => a.value !== undefined && a.value !== null)
    .map((a) => ` ${a.name}="${escapeAttr(attrText(a.value))}"`)
    .join('');
  return `<${tag}${attrs}>${inner}</${tag}>`;
}
