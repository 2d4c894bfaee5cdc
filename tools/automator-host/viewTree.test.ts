import { innerText, toWxml, wxmlTagName, type ViewElement } from './viewTree';

const el = (tagName: string, attrs: Record<string, unknown>, ...children: ViewElement['children']): ViewElement => ({
  tagName,
  attrs: Object.entries(attrs).map(([name, value]) => ({ name, value })),
  children,
});

const item = el(
  'wx-view',
  { class: 'file-item is-uploaded', 'data-state': 'uploaded' },
  el('wx-view', { class: 'file-name' }, 'IMG_0001.jpg'),
  el('wx-view', { class: 'file-meta' }, el('wx-text', {}, '1.0 MB'), '  ', el('wx-text', {}, '已上传')),
  el('wx-progress', { percent: 100 }),
);

describe('view tree', () => {
  test('tag names as WXML writes them', () => {
    expect(wxmlTagName('wx-progress')).toBe('progress');
    expect(wxmlTagName('album-card')).toBe('album-card');
  });

  test('innerText: blocks on their own lines, inline text joined, white space collapsed', () => {
    expect(innerText(item)).toBe('IMG_0001.jpg\n1.0 MB 已上传');
    expect(innerText(el('wx-text', {}, '  上传 3 个，\n 秒传 0 个  '))).toBe('上传 3 个， 秒传 0 个');
  });

  test('WXML, inner and outer, with attributes escaped', () => {
    expect(toWxml(el('wx-view', { class: 'a' }, 'x < y'), 'inner')).toBe('x &lt; y');
    expect(toWxml(el('wx-view', { title: 'say "hi"', hidden: false, gone: undefined }), 'outer')).toBe('<view title="say &quot;hi&quot;" hidden="false"></view>');
    expect(toWxml(item, 'outer')).toContain('<progress percent="100"></progress>');
  });
});
