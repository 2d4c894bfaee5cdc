import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { DEVTOOLS_TOURIST_CODE } from '../../localcloud/wechat/code2Session';
import { createNodeWx } from '../../testkit/nodeWx';
import { appHandlers } from './appHandlers';
import { compileMiniProgram, type CompiledMiniProgram } from './compileMiniProgram';
import { createHostWx } from './createHostWx';
import { createWxStorage } from '../../testkit/wxStorage';
import { createDispatcher } from './dispatcher';
import { createElementRegistry } from './elementRegistry';
import type { HostContext } from './hostContext';
import { installDom } from './installDom';
import { createMiniProgramRuntime, type HostPage } from './miniProgramRuntime';
import { pageHandlers } from './pageHandlers';
import { createPageStack } from './pageStack';
import { createProtocolServer } from './protocolServer';
import type { ExparserNode, Simulate } from './simulateTypes';
import { createVirtualFiles } from './virtualFiles';
import { createWxMocks } from './wxMocks';

export interface HostOptions {
  /** The project folder (where project.config.json is), as DevTools opens it. */
  projectPath: string;
  /** The automation port; 0 picks a free one. */
  port: number;
  /** Replaces `API_BASE_URL` of the app's `config.ts`, so the page talks to a test API. */
  apiBaseUrl?: string;
  /** `wx.login` answers `test:<user>`; without it, DevTools' tourist code (the developer, to the local WeChat emulator). */
  user?: string;
  /** wx storage lives in this file, read at launch and written on each change; undefined: in memory. */
  storageFile?: string;
  /** Leave when no client has been connected for this long; undefined: stay. */
  idleExitMs?: number;
  log?(line: string): void;
}

export interface RunningHost {
  url: string;
  port: number;
  /** Settles when the host has shut down (Tool.close, idle, or close()). */
  closed: Promise<void>;
  close(): Promise<void>;
}

interface ProjectConfig {
  miniprogramRoot?: string;
  libVersion?: string;
}

const describeValue = (value: unknown) => (typeof value === 'string' ? value : inspect(value, { depth: 4, breakLength: Infinity }));

/**
 * Starts the headless automator host: compiles the project, renders its pages with
 * miniprogram-simulate in jsdom behind a `wx` with real network and files, launches the app on its
 * entry page, and serves the automator protocol on 127.0.0.1. One host per process.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const project = JSON.parse(readFileSync(path.join(options.projectPath, 'project.config.json'), 'utf8')) as ProjectConfig;
  const sdkVersion = project.libVersion ?? '3.6.0';
  const storage = createWxStorage(options.storageFile);
  const workDir = mkdtempSync(path.join(tmpdir(), 'automator-host-'));
  let compiled: CompiledMiniProgram;
  try {
    compiled = compileMiniProgram({
      sourceRoot: path.resolve(options.projectPath, project.miniprogramRoot ?? '.'),
      outDir: path.join(workDir, 'app'),
      overrides: options.apiBaseUrl ? { config: { API_BASE_URL: options.apiBaseUrl } } : undefined,
    });
  } catch (err) {
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  }

  const dom = installDom();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const simulate = require('miniprogram-simulate') as Simulate;
  const simulateApis = (globalThis as Record<string, unknown>).wx as Record<string, unknown>;

  const server = createProtocolServer({ dispatch: (method, params) => dispatch(method, params), onClientsChanged: (n) => idle(n), log });
  const emit = (method: string, params: unknown) => server.emit(method, params);
  const report = (error: unknown, where: string) => {
    const message = error instanceof Error ? error.message : describeValue(error);
    log(`exception in ${where}: ${error instanceof Error ? error.stack : message}`);
    emit('App.exceptionThrown', { message, stack: error instanceof Error ? error.stack : undefined, where });
  };

  const elements = createElementRegistry<ExparserNode>();
  const runtime = createMiniProgramRuntime({
    rootPath: compiled.rootPath,
    appJson: compiled.appJson,
    simulate,
    report,
    pages: () => stack.pages(),
    onPageClosed: (page) => elements.dropPage(page.id),
  });
  const stack = createPageStack<HostPage>({ pages: compiled.appJson.pages, open: runtime.open });
  const nodeWx = createNodeWx();
  // The user data folder lives in this run's work dir: like temp files on a phone, it does not outlive the app.
  const files = createVirtualFiles(path.join(workDir, 'files'));
  const { wx, originals } = createHostWx({
    nodeWx,
    files,
    storage,
    stack,
    knownApis: simulateApis,
    sdkVersion,
    loginCode: () => (options.user ? `test:${options.user}` : DEVTOOLS_TOURIST_CODE),
  });
  (globalThis as Record<string, unknown>).wx = wx;
  // Indirect eval: the client's functions run in the app's global scope, seeing wx, getApp, getCurrentPages.
  const evaluate = (source: string): unknown => (0, eval)(`(${source})`);
  const mocks = createWxMocks({ wx, originals, evaluate });

  const onUnhandled = (reason: unknown) => report(reason, 'an unhandled promise rejection');
  const onUncaught = (error: unknown) => report(error, 'an uncaught exception');
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUncaught);

  let forwardingConsole = false;
  function enableLog() {
    if (forwardingConsole) return;
    forwardingConsole = true;
    for (const type of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[type].bind(console);
      console[type] = (...args: unknown[]) => {
        original(...args);
        emit('App.logAdded', { type, args: args.map(describeValue) });
      };
    }
  }

  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= (async () => {
      clearTimeout(idleTimer);
      // The app ends here as a killed app does: it writes nothing more, and its pages are never
      // unloaded (an onUnload would run page code, such as cancelling uploads, a killed app never runs).
      storage.detach();
      await server.close();
      nodeWx.close();
      process.off('unhandledRejection', onUnhandled);
      process.off('uncaughtException', onUncaught);
      dom.close();
      rmSync(workDir, { recursive: true, force: true });
      resolveClosed();
    })();
    return closing;
  }

  let idleTimer: NodeJS.Timeout | undefined;
  function idle(clients: number) {
    clearTimeout(idleTimer);
    if (clients === 0 && options.idleExitMs !== undefined) {
      idleTimer = setTimeout(() => {
        log(`no client for ${options.idleExitMs} ms: closing`);
        void close();
      }, options.idleExitMs);
    }
  }

  let exited = false;
  const ctx: HostContext = {
    stack,
    wx,
    mocks,
    elements,
    evaluate,
    emit,
    enableLog,
    sdkVersion,
    exitApp() {
      if (exited) return;
      exited = true;
      try {
        stack.current()?.hide();
        runtime.hideApp();
      } catch (err) {
        report(err, 'closing the app');
      }
    },
    // The reply to Tool.close must reach the client first; it disconnects right after reading it.
    shutdown: () => void setTimeout(() => void close(), 200),
  };
  const dispatch = createDispatcher({ ...appHandlers(ctx), ...pageHandlers(ctx) });

  runtime.launchApp({ path: compiled.entryPage, query: {}, scene: 1001, referrerInfo: {} });
  stack.reLaunch(`/${compiled.entryPage}`);

  const { url, port } = await server.listen(options.port);
  idle(0);
  return { url, port, closed, close };
}
