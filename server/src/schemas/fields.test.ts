import { displayName } from './fields';

describe('displayName', () => {
  test.each(['张家', 'Bob family', '👨‍👩‍👧‍👦 The Smiths', '❤️‍🔥 summer', 'IMG_0001.jpg', 'Ünïcödé – ok'])('accepts %s', (name) => {
    expect(displayName.safeParse(name).success).toBe(true);
  });

  test.each([
    ['a right-to-left override', 'photo\u202Egpj.exe'],
    ['a left-to-right embedding', '\u202Aname'],
    ['a pop directional formatting', 'name\u202C'],
    ['an isolate', 'a\u2066b\u2069'],
    ['a first-strong isolate', '\u2068x'],
    ['a right-to-left mark', 'a\u200Fb'],
    ['an Arabic letter mark', 'a\u061Cb'],
    ['a zero-width space', 'adm\u200Bin'],
    ['a zero-width non-joiner', 'a\u200Cb'],
    ['a zero-width joiner between letters', 'a\u200Db'],
    ['a word joiner', 'a\u2060b'],
    ['a byte-order mark inside', 'fam\uFEFFily'],
    ['a control character', 'a\u0007b'],
  ])('refuses %s', (_what, name) => {
    const parsed = displayName.safeParse(name);
    expect(parsed.success).toBe(false);
  });
});
