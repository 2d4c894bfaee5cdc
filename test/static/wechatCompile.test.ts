/**
 * The Mini Program as WeChat's own compiler builds it (miniprogram-ci, offline: see
 * tools/compileWithMiniprogramCi.ts) — the package a phone runs, not the TypeScript — checked for
 * what a phone needs: it compiles, it fits, it carries no sources or tests, every `require` finds
 * its module inside the package, and the app runs from launch to a finished upload.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFakeCloud } from '../../testkit/createFakeCloud';
import { requiresOf, resolveWeChatRequire, runCompiledApp, type PackageFiles } from './support/compiledPackage';
import { REPO_ROOT } from './support/miniprogramFiles';

/** WeChat refuses a main package over 2 MB; this one is ~90 KB, and the budget keeps it well clear. */
const MAIN_PACKAGE_BUDGET_BYTES = 300 * 1024;

let outDir: string;
let files: PackageFiles;
let summary: { files: number; bytes: number; refusedUrls: string[] };

function readTree(root: string, relative = ''): Record<string, Buffer> {
  const tree: Record<string, Buffer> = {};
  for (const name of readdirSync(path.join(root, relative))) {
    const rel = relative ? `${relative}/${name}` : name;
    if (statSync(path.join(root, rel)).isDirectory()) Object.assign(tree, readTree(root, rel));
    else tree[rel] = readFileSync(path.join(root, rel));
  }
  return tree;
}

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'mp-wechat-'));
  // Its own process: the compiler keeps a worker alive that only the process's exit ends. The tsx
  // CLI, not `--import tsx`: the worker inherits the loader flags, and runs in another folder.
  const tsxCli = createRequire(path.join(REPO_ROOT, 'package.json')).resolve('tsx/cli');
  const child = spawn(process.execPath, [tsxCli, path.join(REPO_ROOT, 'tools', 'compileWithMiniprogramCi.ts'), outDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the compile failed (exit ${code}):\n${stderr.slice(-4000)}`);
  summary = JSON.parse(stdout.trim().split('\n').pop()!);
  files = readTree(outDir);
}, 240_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const js = () => Object.keys(files).filter((f) => f.endsWith('.js'));

test('it compiles offline: no call reached WeChat but the extension list, which falls back to its built-in copy', () => {
  expect(Object.keys(files)).toHaveLength(summary.files);
  expect(summary.refusedUrls.every((url) => url.endsWith('/wxa/ci/getwhiteextlist'))).toBe(true);
  expect(Object.keys(files)).toEqual(expect.arrayContaining(['app.js', 'app.json', 'app.wxss', 'pages/albumUploader/index.js', 'pages/albumUploader/index.wxml', 'pages/albumUploader/index.wxss', 'pages/albumUploader/index.json']));
  // The family pages (issue 13), each with its quartet compiled.
  for (const page of ['join', 'family', 'album', 'profile']) {
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['js', 'wxml', 'wxss', 'json'].map((ext) => `pages/${page}/index.${ext}`)));
  }
});

test(`the main package stays under ${MAIN_PACKAGE_BUDGET_BYTES / 1024} KB`, () => {
  const bytes = Object.values(files).reduce((sum, content) => sum + Buffer.byteLength(content), 0);
  expect(bytes).toBe(summary.bytes);
  expect(bytes).toBeLessThan(MAIN_PACKAGE_BUDGET_BYTES);
});

test('it carries no TypeScript, SCSS, tests, fixtures or build configuration', () => {
  const strays = Object.keys(files).filter((f) => /\.(ts|scss|sass)$|\.test\.|(^|\/)(fixtures?|testing|__tests__|node_modules)\/|(^|\/)(tsconfig|package)\.json$/.test(f));
  expect(strays).toEqual([]);
});

test('WXML and WXSS come out minified, as project.config.json asks', () => {
  const wxml = String(files['pages/albumUploader/index.wxml']);
  expect(wxml).not.toMatch(/\n\s+</);
  expect(String(files['pages/albumUploader/index.wxss'])).not.toMatch(/\n\s+/);
});

test('the shared grid partial is compiled into each page that uses it, and not shipped on its own', () => {
  for (const page of ['albumUploader', 'album']) expect(String(files[`pages/${page}/index.wxss`])).toMatch(/\.photo-grid \.photo\{[^}]*padding-bottom/);
  expect(Object.keys(files).filter((f) => f.startsWith('styles/'))).toEqual([]);
});

test('every require in the package resolves to a module inside it', () => {
  const unresolved: string[] = [];
  for (const file of js()) {
    for (const specifier of requiresOf(file, String(files[file]))) {
      // An npm bundle's loader falls back to a computed require for what the builder left outside
      // it; the build refuses a bundle that left anything (tools/buildMiniprogramNpm.ts).
      if (specifier === undefined) {
        if (!file.startsWith('miniprogram_npm/')) unresolved.push(`${file}: a computed require`);
      } else if (!resolveWeChatRequire(files, file, specifier)) unresolved.push(`${file}: ${specifier}`);
    }
  }
  expect(unresolved).toEqual([]);
  // What the app needs at run time is among them: the contract and spark-md5, as npm bundles.
  expect(resolveWeChatRequire(files, 'utils/fileFilter.js', '@family-album/contract')).toBe('miniprogram_npm/@family-album/contract/index.js');
  expect(resolveWeChatRequire(files, 'utils/computeHash.js', 'spark-md5')).toBe('miniprogram_npm/spark-md5/index.js');
});

test('the resolver finds nothing outside the package (control)', () => {
  expect(resolveWeChatRequire(files, 'utils/request.js', '../../typings/index')).toBeUndefined();
  expect(resolveWeChatRequire(files, 'utils/request.js', 'fs')).toBeUndefined();
  expect(resolveWeChatRequire(files, 'utils/request.js', './nowhere')).toBeUndefined();
});

test('the compiled app, on a fake wx, loads the album, takes a picked photo and uploads it', async () => {
  const photo = { path: 'wxfile://tmp/beach.jpg', size: 2048, md5: 'ab'.repeat(16) };
  const cloud = createFakeCloud({ files: [photo] });
  cloud.autoUpload();
  const chooseMedia = (options: { success: (result: unknown) => void }) =>
    setTimeout(() => options.success({ type: 'image', tempFiles: [{ tempFilePath: photo.path, size: photo.size, fileType: 'image' }], errMsg: 'chooseMedia:ok' }), 0);

  const { page: open } = runCompiledApp(files, { ...cloud.wx, chooseMedia });
  const page = open('pages/albumUploader/index');
  await page.onLoad({});
  expect(page.data).toMatchObject({ familyNames: ['我的家庭'], albumNames: ['家庭相册'], error: '' });

  page.chooseMedia();
  for (let i = 0; i < 100 && page.data.items.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(page.data.items).toHaveLength(1);

  await page.startUpload();
  expect(page.data).toMatchObject({ uploading: false, summary: { uploaded: 1, instant: 0, failed: 0 }, error: '' });
  expect([...cloud.objects.keys()]).toEqual([`families/${page.data.familyId}/${photo.md5}.jpg`]);
  expect(page.data.photos.map((p: { file_name: string }) => p.file_name)).toEqual([expect.stringMatching(/^IMG_\d{8}_\d{6}_1\.jpg$/)]);
});
