/**
 * The import rules of .dependency-cruiser.cjs, each proven to catch what it names: a miniature
 * tree with one forbidden import per rule (and allowed ones beside them) is cruised with the
 * real configuration, and every violation must be exactly the one planted.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** file → its source; each `bad*` file breaks exactly the rule in its comment. */
const TREE: Record<string, string> = {
  'typings/index.ts': 'export const LIMIT = 1;\nexport type Kind = "image";\n',
  'typings/bad.ts': "// typings-stand-alone\nimport { ok } from '../server/src/ok';\nexport const x = ok;\n",
  'oss-signer/index.ts': "import { createHmac } from 'node:crypto';\nexport const sign = createHmac;\n",
  'oss-signer/bad.ts': "// signer-is-pure\nimport { LIMIT } from '../typings/index';\nexport const x = LIMIT;\n",
  'localcloud/emulator.ts': "import { sign } from '../oss-signer/index';\nexport const emulator = sign;\n",
  'localcloud/bad.ts': "// localcloud-imports-only-the-signer\nimport { ok } from '../server/src/ok';\nexport const x = ok;\n",
  'server/src/ok.ts': "import { LIMIT } from '../../typings/index';\nimport { sign } from '../../oss-signer/index';\nexport const ok = [LIMIT, sign];\n",
  'server/src/main.ts': "import { emulator } from '../../localcloud/emulator';\nexport const main = emulator;\n",
  'server/src/badCloud.ts': "// server-reaches-localcloud-only-at-its-entry\nimport { emulator } from '../../localcloud/emulator';\nexport const x = emulator;\n",
  'server/src/badClient.ts': "// server-never-imports-miniprogram\nimport { page } from '../../miniprogram/utils/page';\nexport const x = page;\n",
  'server/src/badKit.ts': "// product-never-imports-testkit\nimport { a } from '../../testkit/a';\nexport const x = a;\n",
  'server/src/ossClient/client.ts': "import { ok } from '../ok';\nexport const client = ok;\n",
  'server/src/http/edge.ts': "import type { ok } from '../ok';\nexport type Edge = typeof ok;\n",
  'server/src/http/badEdge.ts': "// http-is-only-the-edge\nimport { client } from '../ossClient/client';\nexport const x = client;\n",
  'server/src/ossClient/badAdapter.ts': "// adapters-never-import-the-edge\nimport type { Edge } from '../http/edge';\nexport const x: Edge = [1, () => ''];\n",
  'server/src/badMissing.ts': "// no-unresolvable-imports\nimport { nothing } from './nowhere';\nexport const x = nothing;\n",
  'miniprogram/utils/page.ts': "import type { Kind } from '../../typings/index';\nexport const page: Kind = 'image';\n",
  'miniprogram/utils/page.test.ts': "import { a } from '../../testkit/a';\nimport { LIMIT } from '../../typings/index';\nexport const t = [a, LIMIT];\n",
  'miniprogram/utils/badValue.ts':
    "// miniprogram-value-imports-of-the-contract-go-through-its-package\nimport { LIMIT } from '../../typings/index';\nexport const x = LIMIT;\n",
  'miniprogram/utils/badNode.ts': "// miniprogram-no-node-builtins\nimport type { Stats } from 'fs';\nexport type X = Stats;\n",
  'miniprogram/utils/badServer.ts': "// miniprogram-imports-only-itself-and-the-contract\nimport { ok } from '../../server/src/ok';\nexport const x = ok;\n",
  'testkit/a.ts': "// no-cycles\nimport { b } from './b';\nexport const a = () => b;\n",
  'testkit/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
  'test/suite.ts': "import { a } from '../testkit/a';\nexport const suite = a;\n",
  'bench/bad.ts': "// nothing-imports-test\nimport { suite } from '../test/suite';\nexport const x = suite;\n",
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

describe('the import rules', () => {
  let root: string;
  let violations: Violation[];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'import-rules-'));
    for (const [file, source] of Object.entries(TREE)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), source);
    }
    copyFileSync(path.join(REPO_ROOT, '.dependency-cruiser.cjs'), path.join(root, '.dependency-cruiser.cjs'));
    writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node', strict: true } }));
    const folders = ['typings', 'oss-signer', 'localcloud', 'server', 'miniprogram', 'testkit', 'test', 'bench'];
    let output: string;
    try {
      output = execFileSync(process.execPath, [CLI, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...folders], { cwd: root, encoding: 'utf8' });
    } catch (error) {
      // The CLI exits non-zero when it finds violations, which is the point here.
      output = (error as { stdout: string }).stdout;
    }
    violations = (JSON.parse(output) as { summary: { violations: Violation[] } }).summary.violations;
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const plantedRule = (file: string) => /^\/\/ ([a-z-]+)$/m.exec(TREE[file])?.[1];
  const badFiles = Object.keys(TREE).filter(plantedRule);

  test('every rule of the configuration has a planted violation', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require(path.join(REPO_ROOT, '.dependency-cruiser.cjs')) as { forbidden: { name: string }[] };
    expect(badFiles.map(plantedRule).sort()).toEqual(config.forbidden.map((r) => r.name).sort());
  });

  test.each(badFiles)('%s breaks exactly its rule, named in the report', (file) => {
    const found = violations.filter((v) => v.from === file || (file === 'testkit/a.ts' && v.rule.name === 'no-cycles'));
    expect([...new Set(found.map((v) => v.rule.name))]).toEqual([plantedRule(file)]);
  });

  test('allowed imports are not reported', () => {
    const reportedFrom = new Set(violations.filter((v) => v.rule.name !== 'no-cycles').map((v) => v.from));
    const allowedFiles = Object.keys(TREE).filter((f) => !plantedRule(f) && !f.startsWith('testkit/'));
    expect(allowedFiles.filter((f) => reportedFrom.has(f))).toEqual([]);
  });
});
