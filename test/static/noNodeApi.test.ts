import { join } from 'node:path';
import { MINIPROGRAM_ROOT } from './support/miniprogramFiles';
import { createProbeChecker } from './support/typecheckProbe';

const checkProbe = createProbeChecker(join(MINIPROGRAM_ROOT, 'tsconfig.json'));

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

  // miniprogram-api-typings declares a global `require` (WeChat has one), so only the import rules
  // (.dependency-cruiser.cjs, `npm run lint:imports`) catch this.
  test("require('fs') type-checks, which is why the import rules also check the sources", () => {
    expect(checkProbe("export const x: unknown = require('fs');")).toEqual([]);
  });
});
