const COMPOUND = /^(?:[.#][-_a-zA-Z0-9\u00a0-\uffff]+)+$/;

/**
 * exparser (j-component's view tree) matches class and id selectors joined by descendant and child
 * combinators or listed with commas, and silently matches nothing for the rest: tags
 * (`button`), attributes, pseudo-classes, sibling combinators. DevTools matches those, so the host
 * refuses them with an error naming the part it cannot match rather than answering "none".
 */
export function assertSupportedSelector(selector: string): void {
  if (selector.trim() === '') throw new Error(`selector "${selector}" is empty`);
  const unsupported = (part: string) =>
    new Error(`selector "${selector}": only class and id selectors with descendant (" "), child (">") and "," are supported by the headless automator host, not "${part}"`);
  const sibling = /[+~]/.exec(selector);
  if (sibling) throw unsupported(sibling[0]);
  for (const group of selector.split(',')) {
    const compounds = group.split(/[\s>]+/).filter((c) => c !== '');
    if (compounds.length === 0) throw unsupported(group);
    const bad = compounds.find((c) => !COMPOUND.test(c));
    if (bad !== undefined) throw unsupported(bad);
  }
}
