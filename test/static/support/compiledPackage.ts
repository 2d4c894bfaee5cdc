import { posix } from 'node:path';
import ts from 'typescript';

/** A compiled Mini Program package: path inside it → content. */
export type PackageFiles = Readonly<Record<string, string | Buffer>>;

/**
 * Where WeChat's `require` finds `specifier` from the module `from`, or undefined when nothing in
 * the package answers. Relative paths are relative to `from`, `/x` to the package root, and a bare
 * name is an npm package looked up in `miniprogram_npm/` beside `from` and then in each folder above
 * it, as Node does with node_modules; a package name alone means its `index.js`
 * (https://developers.weixin.qq.com/miniprogram/dev/devtools/npm.html). `.js` may be left off.
 */
export function resolveWeChatRequire(files: PackageFiles, from: string, specifier: string): string | undefined {
  const found = (base: string) => [base, `${base}.js`, `${base}/index.js`].find((candidate) => Object.prototype.hasOwnProperty.call(files, candidate));
  const inside = (p: string) => (p === '..' || p.startsWith('../') ? undefined : p);
  if (specifier.startsWith('./') || specifier.startsWith('../')) {
    const base = inside(posix.normalize(posix.join(posix.dirname(from), specifier)));
    return base === undefined ? undefined : found(base);
  }
  if (specifier.startsWith('/')) return found(posix.normalize(specifier.slice(1)));
  for (let dir = posix.dirname(from); ; dir = posix.dirname(dir)) {
    const hit = found(posix.join(dir, 'miniprogram_npm', specifier));
    if (hit) return hit;
    if (dir === '.' || dir === '/' || dir === '') return undefined;
  }
}

/** Every `require(...)` call of a JavaScript file: the literal specifier, or undefined for a computed one. */
export function requiresOf(fileName: string, js: string): Array<string | undefined> {
  const source = ts.createSourceFile(fileName, js, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const specifiers: Array<string | undefined> = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      const [argument] = node.arguments;
      specifiers.push(argument && ts.isStringLiteralLike(argument) ? argument.text : undefined);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

type Definition = Record<string, any>;

/** A page or component instance as the framework gives one to its methods: `data`, `setData`, the methods. */
export interface Instance {
  data: Record<string, any>;
  setData(patch: Record<string, unknown>): void;
  [method: string]: any;
}

/** `setData`'s path keys: `items[2].state`, `photos[0]`, `summary`. */
function setPath(target: Record<string, any>, path: string, value: unknown): void {
  const keys = path.match(/[^.[\]]+/g) ?? [];
  let node: Record<string, any> = target;
  keys.slice(0, -1).forEach((key, i) => {
    node[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
    node = node[key];
  });
  node[keys[keys.length - 1]] = value;
}

function instantiate(definition: Definition): Instance {
  const instance: Instance = {
    ...definition.methods,
    data: JSON.parse(JSON.stringify(definition.data ?? {})),
    setData(patch) {
      // The view gets a copy, as the framework serialises data across threads.
      for (const [path, value] of Object.entries(patch)) setPath(instance.data, path, value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
    },
  };
  return instance;
}

/**
 * Runs a compiled package's JavaScript as the base library would: each module in its own function
 * with `require`, `module`, `exports` and the framework's globals, `require` resolved by
 * `resolveWeChatRequire` and nothing else (no Node module, no file outside the package). Starts the
 * app (`App()` then `onLaunch`) and hands out the pages that `Component()`/`Page()` registered.
 */
export function runCompiledApp(files: PackageFiles, wx: unknown): { app: Instance; page(path: string): Instance } {
  const exportsByFile = new Map<string, unknown>();
  const definitions = new Map<string, Definition>();
  let appDefinition: Definition | undefined;
  let app: Instance | undefined;
  let loading: string | undefined;

  const framework = {
    App: (definition: Definition) => void (appDefinition = definition),
    Page: (definition: Definition) => void definitions.set(loading!, { methods: definition, data: definition.data }),
    Component: (definition: Definition) => void definitions.set(loading!, definition),
    getApp: () => app,
  };

  const load = (file: string): unknown => {
    if (exportsByFile.has(file)) return exportsByFile.get(file);
    const module = { exports: {} as unknown };
    exportsByFile.set(file, module.exports);
    const requireFrom = (specifier: string) => {
      const target = resolveWeChatRequire(files, file, specifier);
      if (!target) throw new Error(`${file}: module '${specifier}' is not defined`);
      return load(target);
    };
    const outer = loading;
    loading = file;
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      new Function('require', 'module', 'exports', 'wx', 'App', 'Page', 'Component', 'getApp', String(files[file]))(
        requireFrom,
        module,
        module.exports,
        wx,
        framework.App,
        framework.Page,
        framework.Component,
        framework.getApp,
      );
    } finally {
      loading = outer;
    }
    exportsByFile.set(file, module.exports);
    return module.exports;
  };

  load('app.js');
  if (!appDefinition) throw new Error('app.js called no App()');
  app = { ...appDefinition, data: {}, setData: () => undefined } as Instance;
  app.onLaunch?.call(app, {});
  return {
    app,
    page(path) {
      const file = `${path}.js`;
      load(file);
      const definition = definitions.get(file);
      if (!definition) throw new Error(`${file} registered no page`);
      return instantiate(definition);
    },
  };
}
