/**
 * The headless host itself, through the unmodified client's `connect`: a small fixture app
 * (test/e2e/fixtures/hostDemo) with a Component() page, a Page() page and a custom component.
 * Routes go through `callWxMethod` here, which skips the client's fixed 3 s wait after each.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import automator from 'miniprogram-automator';
import WebSocket from 'ws';
import type { CustomElement } from 'miniprogram-automator/out/Element';
import { HOST_CLI } from './support/e2eTarget';
import { eventually } from './support/eventually';
import type { MiniProgram } from './support/openMiniProgram';

const FIXTURE = path.join(__dirname, 'fixtures', 'hostDemo');

jest.setTimeout(30_000);

let host: ChildProcess;
let exited: Promise<number | null>;
let miniProgram: MiniProgram;
let hostUrl: string;

beforeAll(async () => {
  host = spawn(HOST_CLI, ['serve', '--project', FIXTURE, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  exited = new Promise((resolve) => host.once('exit', resolve));
  let stderr = '';
  host.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    host.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const found = /listening on (ws:\/\/\S+)/.exec(stdout);
      if (found) resolve(found[1]);
    });
    host.once('exit', (code) => reject(new Error(`the host exited (${code}): ${stderr}`)));
  });
  hostUrl = url;
  miniProgram = await automator.connect({ wsEndpoint: url });
}, 30_000);

afterAll(async () => {
  if (host.exitCode === null) host.kill();
  await exited;
});

const lifecycleLog = (): Promise<string[]> => miniProgram.evaluate(() => getApp<{ globalData: { log: string[] } }>().globalData.log.splice(0));

test('the app launches on its entry page; routes run the page lifecycles in WeChat’s order', async () => {
  expect(await lifecycleLog()).toEqual(['app onLaunch pages/home/index', 'home onLoad {}', 'home onShow', 'home onReady']);
  const home = await miniProgram.currentPage();
  expect(home).toMatchObject({ path: 'pages/home/index', query: {} });

  await miniProgram.callWxMethod('navigateTo', { url: '/pages/detail/index?id=7' });
  expect(await lifecycleLog()).toEqual(['home onHide', 'detail onLoad {"id":"7"}', 'detail onShow', 'detail onReady']);
  const detail = await miniProgram.currentPage();
  expect(detail).toMatchObject({ path: 'pages/detail/index', query: { id: '7' } });
  expect(await (await detail!.$('.detail'))!.text()).toBe('Detail 7');
  expect((await miniProgram.pageStack()).map((p) => p.path)).toEqual(['pages/home/index', 'pages/detail/index']);

  await miniProgram.callWxMethod('navigateBack', {});
  expect(await lifecycleLog()).toEqual(['detail onUnload', 'home onShow']);
  await expect(miniProgram.callWxMethod('navigateBack', {})).rejects.toThrow('navigateBack:fail cannot navigate back at first page.');
  await expect(miniProgram.callWxMethod('navigateTo', { url: '/pages/nowhere/index' })).rejects.toThrow('navigateTo:fail page "pages/nowhere/index" is not found');

  await miniProgram.callWxMethod('reLaunch', { url: '/pages/detail/index' });
  expect(await lifecycleLog()).toEqual(['home onUnload', 'detail onLoad {}', 'detail onShow', 'detail onReady']);
  await miniProgram.callWxMethod('reLaunch', { url: '/pages/home/index?from=test' });
  expect(await lifecycleLog()).toEqual(['detail onUnload', 'home onLoad {"from":"test"}', 'home onShow', 'home onReady']);
});

test('page data, methods, taps and the elements of built-in and custom components', async () => {
  const page = (await miniProgram.currentPage())!;
  expect(await page.data('name')).toBe('world');
  await page.setData({ name: 'automator' });
  const title = (await page.$('.title'))!;
  expect(title.tagName).toBe('view');
  expect(await title.text()).toBe('Hello, automator');
  expect(await title.attribute('data-kind')).toBe('greeting');
  expect(await title.wxml()).toBe('Hello, <text class="name">automator</text>');
  expect(await title.style('color')).toBe('rgb(7, 193, 96)');
  expect(await page.callMethod('greet', 'host')).toBe('hello host');

  await (await page.$('.go'))!.tap();
  await (await page.$('.go'))!.tap();
  expect(await page.data('taps')).toBe(2);

  const bar = (await page.$('.bar'))!;
  expect(await bar.property('percent')).toBe(40);
  await expect(bar.property('nope')).rejects.toThrow('progress.nope not exists');

  const counter = (await page.$('.counter')) as unknown as CustomElement;
  expect(counter.tagName).toBe('counter');
  expect(await counter.data('count')).toBe(2);
  expect(await counter.callMethod('increment')).toBe(3);
  expect(await (await counter.$('.value'))!.text()).toBe('3');
  expect(await counter.property('start')).toBe(2);
});

test('mockWxMethod with a result, a function and restore; callWxMethod; callFunction; files', async () => {
  await miniProgram.callWxMethod('setStorageSync', 'k', 'stored');
  await miniProgram.mockWxMethod('getStorageSync', 'mocked');
  expect(await miniProgram.callWxMethod('getStorageSync', 'k')).toBe('mocked');
  await miniProgram.mockWxMethod('getStorageSync', function (this: { origin(key: string): string }, key: string, suffix: string) {
    return `${this.origin(key)}${suffix}`;
  }, '!');
  expect(await miniProgram.callWxMethod('getStorageSync', 'k')).toBe('stored!');
  await miniProgram.restoreWxMethod('getStorageSync');
  expect(await miniProgram.callWxMethod('getStorageSync', 'k')).toBe('stored');

  await miniProgram.mockWxMethod('chooseMedia', { tempFiles: [{ tempFilePath: 'wxfile://usr/x.jpg', size: 1 }], type: 'image' });
  expect(await miniProgram.callWxMethod('chooseMedia', {})).toEqual({ errMsg: 'chooseMedia:ok', tempFiles: [{ tempFilePath: 'wxfile://usr/x.jpg', size: 1 }], type: 'image' });
  await miniProgram.restoreWxMethod('chooseMedia');
  await expect(miniProgram.callWxMethod('chooseMedia', {})).rejects.toThrow('chooseMedia:fail wx.chooseMedia is not modelled by the headless automator host');

  expect(await miniProgram.evaluate(async (text: string) => {
    const fs = wx.getFileSystemManager();
    const file = `${wx.env.USER_DATA_PATH}/note.txt`;
    fs.writeFileSync(file, text, 'utf8');
    return new Promise((resolve) => fs.readFile({ filePath: file, encoding: 'utf8', success: (res) => resolve(res.data) }));
  }, 'written in the app')).toBe('written in the app');
});

test('console output and exceptions reach the client as events', async () => {
  const logs: unknown[] = [];
  const exceptions: { message?: string }[] = [];
  miniProgram.on('console', (entry) => logs.push(entry));
  miniProgram.on('exception', (entry) => exceptions.push(entry));
  await miniProgram.evaluate(() => {
    console.warn('from the app', 42);
    setTimeout(() => {
      throw new Error('boom in a timer');
    }, 0);
  });
  await eventually(async () => logs.length > 0 && exceptions.length > 0, 'a log and an exception event');
  expect(logs).toContainEqual({ type: 'warn', args: ['from the app', '42'] });
  expect(exceptions[0].message).toBe('boom in a timer');
});

test('what the host does not model answers an error that names it, never a silent success', async () => {
  const page = (await miniProgram.currentPage())!;
  await expect(miniProgram.screenshot()).rejects.toThrow('App.captureScreenshot: rendering (screenshots) is not modelled by the headless automator host');
  await expect(miniProgram.remote()).rejects.toThrow('Tool.enableRemoteDebug is not supported by the headless automator host');
  await expect(miniProgram.callWxMethod('getLocation', {})).rejects.toThrow('wx.getLocation is not modelled by the headless automator host');
  await expect(miniProgram.switchTab('/pages/home/index')).rejects.toThrow('switchTab:fail the tabBar is not modelled');
  await expect((await page.$('.title'))!.size()).rejects.toThrow('Element.getDOMProperties: layout (offsetWidth) is not modelled');
  await expect((await page.$('.title'))!.offset()).rejects.toThrow('Element.getOffset: layout (offsets) is not modelled');
  await expect(page.$$('view')).rejects.toThrow('are supported by the headless automator host, not "view"');
  await expect(page.$$('.title[data-kind]')).rejects.toThrow('not ".title[data-kind]"');
  expect(await miniProgram.callWxMethod('canIUse', 'getLocation')).toBe(false);
  expect(await miniProgram.callWxMethod('canIUse', 'chooseMedia')).toBe(true);
});

/** Sends one protocol message on a connection of its own (the client sends App.exit only inside close()). */
async function sendRaw(method: string): Promise<unknown> {
  const socket = new WebSocket(hostUrl);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  try {
    socket.send(JSON.stringify({ id: 'raw-1', method, params: {} }));
    // Events go to every client: wait for the reply itself.
    return await new Promise((resolve) =>
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: string };
        if (message.id === 'raw-1') resolve(message);
      }),
    );
  } finally {
    socket.close();
  }
}

test('App.exit (close()’s first step) closes the app as its user does: onHide, and no page is unloaded', async () => {
  await lifecycleLog();
  expect(await sendRaw('App.exit')).toEqual({ id: 'raw-1', result: {} });
  expect(await lifecycleLog()).toEqual(['home onHide', 'app onHide']);
  expect((await miniProgram.pageStack()).map((p) => p.path)).toEqual(['pages/home/index']);
});

test('Tool.close ends the host', async () => {
  await miniProgram.close();
  expect(await exited).toBe(0);
});
