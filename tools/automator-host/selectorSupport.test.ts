import { assertSupportedSelector } from './selectorSupport';

describe('assertSupportedSelector', () => {
  test.each(['.file-item', '#main', '.actions .choose-chat', '.actions>.choose-chat', '.list > .item', '.a.b', '.title,.go', '#page .is-failed'])('%s is supported', (selector) => {
    expect(() => assertSupportedSelector(selector)).not.toThrow();
  });

  test.each([
    ['button', 'button'],
    ['.actions button', 'button'],
    ['view.card', 'view.card'],
    ['*', '*'],
    ['.file-item[data-state=failed]', '.file-item[data-state=failed]'],
    ['.photo:first-child', '.photo:first-child'],
    ['.go + .bar', '+'],
    ['.go ~ .bar', '~'],
    ['.a,', ''],
  ])('%s is refused, naming "%s"', (selector, part) => {
    expect(() => assertSupportedSelector(selector)).toThrow(`are supported by the headless automator host, not "${part}"`);
  });

  test('an empty selector is refused', () => {
    expect(() => assertSupportedSelector('  ')).toThrow('is empty');
  });
});
