import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileMiniProgram } from './compileMiniProgram';

const SOURCE = path.join(__dirname, '..', '..', 'miniprogram');

let outDir: string;
beforeEach(() => {
  outDir = mkdtempSync(path.join(tmpdir(), 'mp-compile-test-'));
});
afterEach(() => rmSync(outDir, { recursive: true, force: true }));

describe('compileMiniProgram (on the real Mini Program)', () => {
  test('TypeScript to CommonJS, SCSS to WXSS, WXML and JSON copied, tests left out, the built npm packages linked', () => {
    const compiled = compileMiniProgram({ sourceRoot: SOURCE, outDir });
    expect(compiled.entryPage).toBe('pages/albumUploader/index');
    const page = path.join(outDir, 'pages', 'albumUploader');
    expect(readFileSync(path.join(page, 'index.js'), 'utf8')).toContain('Component(');
    expect(readFileSync(path.join(page, 'index.wxss'), 'utf8')).toMatch(/\.photo-grid \.photo \{/);
    expect(existsSync(path.join(page, 'index.wxml'))).toBe(true);
    expect(existsSync(path.join(page, 'index.json'))).toBe(true);
    expect(existsSync(path.join(page, 'index.ts'))).toBe(false);
    expect(existsSync(path.join(page, 'index.scss'))).toBe(false);
    expect(existsSync(path.join(outDir, 'utils', 'request.test.js'))).toBe(false);
    // The bundles WeChat's builder made, as a phone loads them.
    expect(readFileSync(path.join(outDir, 'node_modules', 'spark-md5', 'index.js'), 'utf8')).toContain('__DEFINE__');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require(path.join(outDir, 'node_modules', '@family-album', 'contract')).LIMITS.maxPhotosPerCommit).toBe(100);
  });

  test('an exported constant can be overridden; a name the module does not export is an error', () => {
    compileMiniProgram({ sourceRoot: SOURCE, outDir, overrides: { config: { API_BASE_URL: 'http://127.0.0.1:45678' } } });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require(path.join(outDir, 'config.js')).API_BASE_URL).toBe('http://127.0.0.1:45678');
    const other = mkdtempSync(path.join(tmpdir(), 'mp-compile-test-'));
    try {
      expect(() => compileMiniProgram({ sourceRoot: SOURCE, outDir: other, overrides: { config: { NOPE: 'x' } } })).toThrow('config.ts exports no NOPE to override');
      expect(() => compileMiniProgram({ sourceRoot: SOURCE, outDir: path.join(other, 'b'), overrides: { nowhere: { A: 'x' } } })).toThrow('no module nowhere.ts to override');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
