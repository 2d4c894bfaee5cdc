import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppJson } from './compileMiniProgram';
import type { OpenedPage } from './pageStack';
import type { PageTarget } from './pageUrl';
import type { PageInstance, RenderedPage, Simulate } from './simulateTypes';

export interface HostPage extends OpenedPage {
  readonly rendered: RenderedPage;
  readonly instance: PageInstance;
}

export interface RuntimeOptions {
  rootPath: string;
  appJson: AppJson;
  simulate: Simulate;
  /** An error thrown (or rejected) by app or page code; DevTools shows these in its console. */
  report(error: unknown, where: string): void;
  /** The page stack, for `getCurrentPages()`. */
  pages(): readonly HostPage[];
  /** Called once a page is unloaded and gone from the view. */
  onPageClosed(page: HostPage): void;
}

export interface LaunchOptions {
  path: string;
  query: Record<string, string>;
  scene: number;
  referrerInfo: Record<string, unknown>;
}

type Definition = Record<string, unknown>;
type Lifecycle = (...args: unknown[]) => unknown;

/**
 * The app side of the Mini Program: `App()`, `getApp()`, `Page()` and `getCurrentPages()` as
 * globals (simulate provides `Component()` and `Behavior()`), the app's launch, and pages rendered
 * by miniprogram-simulate with WeChat's lifecycle calls. App and page code run in this process:
 * there is no separate view thread, and `setData` is applied at once, unserialised.
 */
export function createMiniProgramRuntime(options: RuntimeOptions) {
  const globals = globalThis as Record<string, unknown>;
  const { simulate, report } = options;
  let app: Definition | undefined;
  const loaded = new Map<string, string>();

  globals.App = (definition: Definition) => {
    if (app && app !== definition && Object.keys(app).length > 0) throw new Error('App() is called more than once');
    app = Object.assign(app ?? {}, definition);
  };
  globals.getApp = (opts?: { allowDefault?: boolean }) => {
    if (!app && opts?.allowDefault) app = {};
    return app;
  };
  globals.getCurrentPages = () => options.pages().map((p) => p.instance);
  // A page declared with Page() becomes a component whose methods are the page's functions.
  globals.Page = (definition: Definition) => {
    const methods: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(definition)) if (typeof value === 'function') methods[name] = value;
    (globals.Component as (d: Definition) => void)({ data: definition.data ?? {}, methods });
  };

  /** Calls a lifecycle; what it throws or rejects is reported, never thrown at the route. */
  function callLifecycle(target: Record<string, unknown> | undefined, name: string, where: string, ...args: unknown[]): void {
    const fn = target?.[name];
    if (typeof fn !== 'function') return;
    try {
      const returned = (fn as Lifecycle).apply(target, args);
      if (returned instanceof Promise) returned.catch((err: unknown) => report(err, where));
    } catch (err) {
      report(err, where);
    }
  }

  function componentId(pagePath: string): string {
    let id = loaded.get(pagePath);
    if (id === undefined) {
      id = simulate.load(path.join(options.rootPath, pagePath), { rootPath: options.rootPath, compiler: 'official' });
      loaded.set(pagePath, id);
    }
    return id;
  }

  return {
    launchApp(launch: LaunchOptions): void {
      const appJs = path.join(options.rootPath, 'app.js');
      if (existsSync(appJs)) {
        try {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          require(appJs);
        } catch (err) {
          report(err, 'app.js');
        }
      }
      callLifecycle(app, 'onLaunch', 'App.onLaunch', launch);
      callLifecycle(app, 'onShow', 'App.onShow', launch);
    },

    /** The app went to the background (closed by its user): `App.onHide`. */
    hideApp(): void {
      callLifecycle(app, 'onHide', 'App.onHide');
    },

    open(target: PageTarget, id: number): HostPage {
      const rendered = simulate.render(componentId(target.path));
      const { document } = globals as unknown as { document: { createElement(tag: string): { remove(): void }; body: { appendChild(n: unknown): void } } };
      const wrapper = document.createElement('page-wrapper');
      document.body.appendChild(wrapper);
      rendered.attach(wrapper);
      const instance = rendered.instance;
      const where = (hook: string) => `${target.path}.${hook}`;
      const page: HostPage = {
        id,
        path: target.path,
        query: target.query,
        rendered,
        instance,
        load: () => callLifecycle(instance, 'onLoad', where('onLoad'), { ...target.query }),
        show: () => {
          rendered.triggerPageLifeTime('show');
          callLifecycle(instance, 'onShow', where('onShow'));
        },
        ready: () => callLifecycle(instance, 'onReady', where('onReady')),
        hide: () => {
          rendered.triggerPageLifeTime('hide');
          callLifecycle(instance, 'onHide', where('onHide'));
        },
        unload: () => {
          callLifecycle(instance, 'onUnload', where('onUnload'));
          rendered.detach();
          wrapper.remove();
          options.onPageClosed(page);
        },
      };
      return page;
    },
  };
}

export type MiniProgramRuntime = ReturnType<typeof createMiniProgramRuntime>;
