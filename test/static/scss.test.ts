import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from 'sass';
import { MINIPROGRAM_ROOT, miniprogramFiles } from './support/miniprogramFiles';

describe('SCSS through sass (what the DevTools sass plugin does)', () => {
  const files = miniprogramFiles('.scss');

  test('the app and every page have styles', () => {
    expect(files).toEqual(expect.arrayContaining(['app.scss', 'pages/albumUploader/index.scss']));
  });

  test.each(files)('%s compiles to CSS', (file) => {
    const { css } = compile(join(MINIPROGRAM_ROOT, file));
    // A partial (`_name.scss`) may hold only variables and mixins: its CSS is the pages' that use it.
    if (!/(^|\/)_[^/]+\.scss$/.test(file)) expect(css.trim().length).toBeGreaterThan(0);
    // WXSS has no SCSS syntax left in it; a stray `$var` or `&` means the compile was not real.
    expect(css).not.toMatch(/\$[a-z]|&/i);
  });

  test('a broken file fails to compile (control)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scss-'));
    try {
      const broken = join(dir, 'broken.scss');
      writeFileSync(broken, '.a { color: $undefined-variable; .b { margin: 1px; }\n');
      expect(() => compile(broken)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
