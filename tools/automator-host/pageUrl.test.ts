import { resolvePageUrl } from './pageUrl';

describe('resolvePageUrl', () => {
  test('absolute urls from the app root, with the query split but not decoded', () => {
    expect(resolvePageUrl('/pages/albumUploader/index?album=3&name=%E5%AE%B6&flag')).toEqual({
      path: 'pages/albumUploader/index',
      query: { album: '3', name: '%E5%AE%B6', flag: '' },
    });
  });

  test('relative urls from the current page folder', () => {
    expect(resolvePageUrl('detail?id=1', 'pages/album/index')).toEqual({ path: 'pages/album/detail', query: { id: '1' } });
    expect(resolvePageUrl('../other/index', 'pages/album/index')).toEqual({ path: 'pages/other/index', query: {} });
    expect(resolvePageUrl('./index', 'pages/album/index')).toEqual({ path: 'pages/album/index', query: {} });
  });

  test('a value may itself hold "="', () => {
    expect(resolvePageUrl('/p/index?next=/a?b=c').query).toEqual({ next: '/a?b=c' });
  });
});
