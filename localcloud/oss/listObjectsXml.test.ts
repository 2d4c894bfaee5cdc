import type { StoredObject } from './createObjectStore';
import { listObjectsParams, listObjectsXml } from './listObjectsXml';

const object = (key: string): StoredObject => ({
  key,
  sizeBytes: key.length,
  etag: 'ABC',
  lastModified: '2026-01-01T00:00:00.000Z',
  contentType: 'text/plain',
  userMeta: {},
  headers: {},
  dataFile: 'x',
});
const objects = ['a/1', 'a/2', 'b/1', 'c', 'd&e'].map(object);
const keysOf = (xml: string) => [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]);

describe('listObjectsXml', () => {
  test('pages with max-keys and NextMarker, then continues after the marker', () => {
    const first = listObjectsXml('bkt', objects, listObjectsParams({ 'max-keys': '2' }));
    expect(keysOf(first)).toEqual(['a/1', 'a/2']);
    expect(first).toContain('<IsTruncated>true</IsTruncated><NextMarker>a/2</NextMarker>');
    const second = listObjectsXml('bkt', objects, listObjectsParams({ 'max-keys': '10', marker: 'a/2' }));
    expect(keysOf(second)).toEqual(['b/1', 'c', 'd&amp;e']);
    expect(second).toContain('<IsTruncated>false</IsTruncated>');
  });

  test('prefix, delimiter and url encoding', () => {
    const xml = listObjectsXml('bkt', objects, listObjectsParams({ delimiter: '/', 'encoding-type': 'url' }));
    expect(keysOf(xml)).toEqual(['c', 'd%26e']);
    expect(xml).toContain('<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>b/</Prefix></CommonPrefixes>');
    expect(keysOf(listObjectsXml('bkt', objects, listObjectsParams({ prefix: 'a/' })))).toEqual(['a/1', 'a/2']);
  });

  test('LastModified is written at whole seconds, as OSS writes it', () => {
    const xml = listObjectsXml('bkt', [{ ...object('k'), lastModified: '2026-03-04T05:06:07.891Z' }], listObjectsParams({}));
    expect(xml).toContain('<LastModified>2026-03-04T05:06:07.000Z</LastModified>');
  });

  test('max-keys outside 1..1000 is InvalidArgument', () => {
    expect(() => listObjectsParams({ 'max-keys': '0' })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
    expect(() => listObjectsParams({ 'max-keys': '1001' })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});
