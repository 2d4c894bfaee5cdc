/** A page of the app and the query it was opened with, as `onLoad` receives it. */
export interface PageTarget {
  /** Without a leading slash or extension, as app.json lists it: `pages/albumUploader/index`. */
  path: string;
  query: Record<string, string>;
}

/**
 * Reads a route's `url` as WeChat does: absolute from the app root with a leading slash, else
 * relative to the current page's folder; the query is split but not decoded (WeChat hands `onLoad`
 * the raw values).
 */
export function resolvePageUrl(url: string, currentPath?: string): PageTarget {
  const mark = url.indexOf('?');
  const pathPart = mark < 0 ? url : url.slice(0, mark);
  const queryPart = mark < 0 ? '' : url.slice(mark + 1);
  const base = pathPart.startsWith('/') || currentPath === undefined ? [] : currentPath.split('/').slice(0, -1);
  const segments: string[] = [...base];
  for (const segment of pathPart.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const query: Record<string, string> = {};
  for (const pair of queryPart.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) query[pair] = '';
    else query[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { path: segments.join('/'), query };
}
