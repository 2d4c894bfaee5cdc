import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findForbiddenImports, type ImportRules } from './support/findForbiddenImports';
import { MINIPROGRAM_ROOT, miniprogramFiles } from './support/miniprogramFiles';
import { createProbeChecker } from './support/typecheckProbe';

const checkProbe = createProbeChecker(join(MINIPROGRAM_ROOT, 'tsconfig.json'));
const rules: ImportRules = { miniprogramRoot: MINIPROGRAM_ROOT, runtimePackages: ['spark-md5'] };

describe('the Mini Program type configuration rejects Node-only and DOM APIs', () => {
  test('a probe using what a Mini Program may use type-checks cleanly (control)', () => {
    const probe = [
      "import SparkMD5 from 'spark-md5';",
      "import type { SelectedFile } from '../utils/types';",
      'export const digest = (file: SelectedFile): string => {',
      '  const spark = new SparkMD5.ArrayBuffer();',
      '  spark.append(new ArrayBuffer(file.size));',
      "  wx.setStorageSync('k', Object.entries({ a: 1 }).flat().length);",
      '  return spark.end();',
      '};',
    ].join('\n');
    expect(checkProbe(probe)).toEqual([]);
  });

  test.each([
    ["import fs from 'fs';\nexport const x = fs;", 'fs'],
    ["import { readFile } from 'node:fs/promises';\nexport const x = readFile;", 'node:fs/promises'],
    ["import { createHash } from 'crypto';\nexport const x = createHash;", 'crypto'],
    ["export const x = Buffer.from('x');", 'Buffer'],
    ['export const x = process.env.HOME;', 'process'],
    ['export const x = __dirname;', '__dirname'],
    ['export const x = setImmediate(() => undefined);', 'setImmediate'],
    ['export const x = document.body;', 'document'],
    ['export const x = window.location;', 'window'],
  ])('%j fails to type-check', (source, name) => {
    const diagnostics = checkProbe(source);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.file?.endsWith(join('__probe__', 'probe.ts')))).toBe(true);
    expect(diagnostics.map((d) => d.message).join('\n')).toContain(`'${name}'`);
  });

  // miniprogram-api-typings declares a global `require` (WeChat has one), so only a scan catches this.
  test("require('fs') type-checks, which is why the sources are also scanned", () => {
    expect(checkProbe("export const x: unknown = require('fs');")).toEqual([]);
  });
});

describe('import scan', () => {
  const file = join(MINIPROGRAM_ROOT, 'utils', 'probe.ts');
  const scan = (source: string) => findForbiddenImports(file, source, rules).map((v) => `${v.line}:${v.specifier}`);

  test('finds Node built-ins, value imports from outside miniprogram/, unknown packages and dynamic requires', () => {
    const source = [
      "import fs from 'fs';", // 1
      "const path = require('node:path');", // 2
      "import type { Stats } from 'fs';", // 3: type-only, still Node
      "import { API } from '../../typings/api';", // 4: a value import leaves miniprogram/
      "export * from '../../server/src/oss';", // 5
      "import lodash from 'lodash';", // 6
      'const m = require(name);', // 7
      "const later = import('http');", // 8
      "import type { PhotoView } from '../../typings/api';", // fine: erased
      "import SparkMD5 from 'spark-md5';", // fine: the runtime dependency
      "import { createCancelToken } from './cancelToken';", // fine
      "import { API_BASE_URL } from '/config';", // fine: '/' is the Mini Program root
      "// require('fs') in a comment is fine",
    ].join('\n');
    expect(scan(source)).toEqual(['1:fs', '2:node:path', '3:fs', '4:../../typings/api', '5:../../server/src/oss', '6:lodash', '7:?', '8:http']);
  });

  test('the Mini Program sources import no Node built-in and nothing from outside miniprogram/ but types', () => {
    const sources = miniprogramFiles('.ts').filter((f) => !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
    expect(sources).toEqual(expect.arrayContaining(['app.ts', 'config.ts', 'pages/albumUploader/index.ts']));
    const violations = sources.flatMap((f) => {
      const path = join(MINIPROGRAM_ROOT, f);
      return findForbiddenImports(path, readFileSync(path, 'utf8'), rules).map((v) => `${f}:${v.line} ${v.specifier}: ${v.reason}`);
    });
    expect(violations).toEqual([]);
  });
});
