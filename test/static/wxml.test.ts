import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MINIPROGRAM_ROOT, miniprogramFiles } from './support/miniprogramFiles';

// The package's own entry point: it spawns the official `wcc` binary the way DevTools does
// (`wcc -d -cc <components> <every .wxml> -gn $gwx`) and throws with wcc's stderr on failure.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compiler: { wxmlToJs(rootPath: string, options: { wxmlList: string[] }): string } = require('miniprogram-compiler');

const compileTree = (root: string, files: string[]) => compiler.wxmlToJs(root, { wxmlList: files });

describe('WXML through the official wcc compiler', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'wxml-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const writeTree = (name: string, files: Record<string, string>) => {
    const root = join(scratch, name);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  };

  test('every page listed in app.json has its wxml, ts, scss and json', () => {
    const { pages } = JSON.parse(readFileSync(join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as { pages: string[] };
    expect(pages.length).toBeGreaterThan(0);
    const missing = pages.flatMap((page) => ['.wxml', '.ts', '.scss', '.json'].map((ext) => page + ext)).filter((f) => !existsSync(join(MINIPROGRAM_ROOT, f)));
    expect(missing).toEqual([]);
  });

  test('every .wxml of the Mini Program compiles', () => {
    const files = miniprogramFiles('.wxml');
    expect(files).toContain('pages/albumUploader/index.wxml');
    const output = compileTree(MINIPROGRAM_ROOT, files);
    expect(output).toContain('$gwx');
    for (const file of files) expect(output).toContain(`'${file}'`);
  }, 30_000);

  test('a well-formed file in a scratch tree compiles (control for the next test)', () => {
    const root = writeTree('good', { 'p/index.wxml': '<view class="a" wx:for="{{list}}" wx:key="id">{{item.name}}</view>\n' });
    expect(compileTree(root, ['p/index.wxml'])).toContain('$gwx');
  });

  test.each([
    ['wrong-end-tag', '<view><text>hi</view>\n', /bad\.wxml:1:\d+: expect end-tag `text`/],
    ['unterminated-mustache', '<view>{{item.</view>\n', /bad\.wxml/],
  ])('a file with a %s fails to compile and names the file', (name, text, message) => {
    const root = writeTree(name, { 'p/good.wxml': '<view/>\n', 'p/bad.wxml': text });
    expect(() => compileTree(root, ['p/good.wxml', 'p/bad.wxml'])).toThrow(message);
  });
});
