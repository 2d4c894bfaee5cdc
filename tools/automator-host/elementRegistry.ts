/**
 * Element ids for the client. The client caches its `Element` objects by id, so one node must keep
 * one id; ids belong to a page and die with it.
 */
export interface ElementRegistry<T extends object> {
  idOf(pageId: number, node: T): string;
  find(pageId: number, elementId: string): T | undefined;
  dropPage(pageId: number): void;
}

export function createElementRegistry<T extends object>(): ElementRegistry<T> {
  const ids = new WeakMap<T, string>();
  const byId = new Map<string, { pageId: number; node: T }>();
  let next = 0;
  return {
    idOf(pageId, node) {
      const known = ids.get(node);
      if (known !== undefined && byId.get(known)?.pageId === pageId) return known;
      const id = `${pageId}.${++next}`;
      ids.set(node, id);
      byId.set(id, { pageId, node });
      return id;
    },
    find(pageId, elementId) {
      const entry = byId.get(elementId);
      return entry?.pageId === pageId ? entry.node : undefined;
    },
    dropPage(pageId) {
      for (const [id, entry] of byId) if (entry.pageId === pageId) byId.delete(id);
    },
  };
}
