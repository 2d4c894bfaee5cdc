import { resolvePageUrl, type PageTarget } from './pageUrl';

export interface StackPage {
  readonly id: number;
  readonly path: string;
  readonly query: Record<string, string>;
}

/** WeChat's page lifecycle as the stack drives it; `load` is `onLoad(query)`. */
export interface PageLifecycle {
  load(): void;
  show(): void;
  ready(): void;
  hide(): void;
  unload(): void;
}

export type OpenedPage = StackPage & PageLifecycle;

export type RouteApi = 'reLaunch' | 'navigateTo' | 'redirectTo' | 'navigateBack' | 'switchTab';

/** A route the platform refuses; the message is the `errMsg` WeChat would give. */
export class RouteError extends Error {
  constructor(
    readonly api: RouteApi,
    reason: string,
  ) {
    super(`${api}:fail ${reason}`);
    this.name = 'RouteError';
  }
}

export interface PageStackOptions<P extends OpenedPage> {
  /** app.json `pages`. */
  pages: readonly string[];
  /** Renders a page (its lifecycle not yet started). */
  open(target: PageTarget, id: number): P;
  /** WeChat keeps at most ten pages. */
  maxDepth?: number;
}

export interface PageStack<P extends OpenedPage = OpenedPage> {
  pages(): readonly P[];
  current(): P | undefined;
  find(id: number): P | undefined;
  reLaunch(url: string): P;
  navigateTo(url: string): P;
  redirectTo(url: string): P;
  navigateBack(delta?: number): P;
}

/**
 * The page stack and the order of lifecycles around each route, as WeChat documents them
 * (https://developers.weixin.qq.com/miniprogram/dev/framework/app-service/route.html):
 * navigateTo hides the current page, redirectTo and reLaunch unload, navigateBack unloads the top
 * pages and shows the one below. A new page gets onLoad, onShow, onReady.
 */
export function createPageStack<P extends OpenedPage>(options: PageStackOptions<P>): PageStack<P> {
  const maxDepth = options.maxDepth ?? 10;
  const stack: P[] = [];
  let nextId = 1;

  const current = () => stack[stack.length - 1];

  function target(api: RouteApi, url: string): PageTarget {
    const resolved = resolvePageUrl(url, current()?.path);
    if (!options.pages.includes(resolved.path)) throw new RouteError(api, `page "${resolved.path}" is not found`);
    return resolved;
  }

  function enter(resolved: PageTarget): P {
    const page = options.open(resolved, nextId++);
    stack.push(page);
    page.load();
    page.show();
    page.ready();
    return page;
  }

  function unloadTop(count: number): void {
    for (let i = 0; i < count; i++) stack.pop()?.unload();
  }

  return {
    pages: () => [...stack],
    current,
    find: (id) => stack.find((p) => p.id === id),
    reLaunch(url) {
      const resolved = target('reLaunch', url);
      unloadTop(stack.length);
      return enter(resolved);
    },
    navigateTo(url) {
      const resolved = target('navigateTo', url);
      if (stack.length >= maxDepth) throw new RouteError('navigateTo', 'webview count limit exceed');
      current()?.hide();
      return enter(resolved);
    },
    redirectTo(url) {
      const resolved = target('redirectTo', url);
      unloadTop(1);
      return enter(resolved);
    },
    navigateBack(delta = 1) {
      if (stack.length <= 1) throw new RouteError('navigateBack', 'cannot navigate back at first page.');
      // A delta past the bottom stops at the first page, as WeChat does.
      unloadTop(Math.min(Math.max(1, Math.floor(delta)), stack.length - 1));
      const top = current()!;
      top.show();
      return top;
    },
  };
}
