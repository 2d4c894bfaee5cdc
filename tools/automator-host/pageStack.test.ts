import { createPageStack, RouteError, type OpenedPage } from './pageStack';

const PAGES = ['pages/a/index', 'pages/b/index'];

function recordingStack(maxDepth?: number) {
  const log: string[] = [];
  const stack = createPageStack({
    pages: PAGES,
    maxDepth,
    open: (target, id): OpenedPage => {
      const name = `${id}:${target.path.split('/')[1]}`;
      const hook = (what: string) => () => void log.push(`${name} ${what}${what === 'load' ? ` ${JSON.stringify(target.query)}` : ''}`);
      return { id, path: target.path, query: target.query, load: hook('load'), show: hook('show'), ready: hook('ready'), hide: hook('hide'), unload: hook('unload') };
    },
  });
  return { stack, log };
}

describe('createPageStack', () => {
  test('navigateTo hides the current page; a new page loads, shows and gets ready', () => {
    const { stack, log } = recordingStack();
    stack.reLaunch('/pages/a/index?x=1');
    const b = stack.navigateTo('../b/index');
    expect(b).toMatchObject({ id: 2, path: 'pages/b/index' });
    expect(log).toEqual(['1:a load {"x":"1"}', '1:a show', '1:a ready', '1:a hide', '2:b load {}', '2:b show', '2:b ready']);
    expect(stack.pages().map((p) => p.id)).toEqual([1, 2]);
  });

  test('navigateBack unloads the top and shows the page below; a big delta stops at the first page', () => {
    const { stack, log } = recordingStack();
    stack.reLaunch('/pages/a/index');
    stack.navigateTo('/pages/b/index');
    stack.navigateTo('/pages/a/index');
    log.length = 0;
    expect(stack.navigateBack(5).id).toBe(1);
    expect(log).toEqual(['3:a unload', '2:b unload', '1:a show']);
    expect(() => stack.navigateBack()).toThrow(new RouteError('navigateBack', 'cannot navigate back at first page.'));
  });

  test('reLaunch unloads every page, top first; redirectTo replaces the top', () => {
    const { stack, log } = recordingStack();
    stack.reLaunch('/pages/a/index');
    stack.navigateTo('/pages/b/index');
    log.length = 0;
    stack.reLaunch('/pages/b/index');
    expect(log).toEqual(['2:b unload', '1:a unload', '3:b load {}', '3:b show', '3:b ready']);
    log.length = 0;
    stack.redirectTo('/pages/a/index');
    expect(log).toEqual(['3:b unload', '4:a load {}', '4:a show', '4:a ready']);
    expect(stack.pages().map((p) => p.id)).toEqual([4]);
    expect(stack.find(3)).toBeUndefined();
  });

  test('a page not in app.json, or an eleventh page, is refused and changes nothing', () => {
    const { stack } = recordingStack(2);
    stack.reLaunch('/pages/a/index');
    expect(() => stack.navigateTo('/pages/nope/index')).toThrow('navigateTo:fail page "pages/nope/index" is not found');
    stack.navigateTo('/pages/b/index');
    expect(() => stack.navigateTo('/pages/a/index')).toThrow('navigateTo:fail webview count limit exceed');
    expect(stack.pages().map((p) => p.path)).toEqual(PAGES);
  });
});
