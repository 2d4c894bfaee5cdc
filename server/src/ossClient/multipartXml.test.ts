import { completeMultipartXml, parseInitiateResult, parseListParts } from './multipartXml';

describe('multipart XML', () => {
  test('InitiateMultipartUploadResult gives its UploadId', () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>0004B9894A22E5B1888A1E29F823****</UploadId></InitiateMultipartUploadResult>';
    expect(parseInitiateResult(xml)).toBe('0004B9894A22E5B1888A1E29F823****');
    expect(() => parseInitiateResult('<Error/>')).toThrow(/no UploadId/);
  });

  test('ListPartsResult: parts without quotes, truncation and the next marker', () => {
    const xml = [
      '<ListPartsResult><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId><NextPartNumberMarker>2</NextPartNumberMarker><IsTruncated>true</IsTruncated>',
      '<Part><PartNumber>1</PartNumber><LastModified>2012-02-23T07:01:34.000Z</LastModified><ETag>&quot;3349DC700140D7F86A0784842780****&quot;</ETag><Size>6291456</Size></Part>',
      '<Part><PartNumber>2</PartNumber><LastModified>2012-02-23T07:01:12.000Z</LastModified><ETag>"3349DC700140D7F86A0784842780AAAA"</ETag><Size>1024</Size></Part>',
      '</ListPartsResult>',
    ].join('');
    expect(parseListParts(xml)).toEqual({
      parts: [
        { partNumber: 1, etag: '3349DC700140D7F86A0784842780****', sizeBytes: 6291456 },
        { partNumber: 2, etag: '3349DC700140D7F86A0784842780AAAA', sizeBytes: 1024 },
      ],
      isTruncated: true,
      nextPartNumberMarker: 2,
    });
    expect(parseListParts('<ListPartsResult><IsTruncated>false</IsTruncated></ListPartsResult>')).toEqual({ parts: [], isTruncated: false, nextPartNumberMarker: 0 });
  });

  test('CompleteMultipartUpload lists each part with its quoted ETag', () => {
    expect(completeMultipartXml([{ partNumber: 1, etag: 'AA', sizeBytes: 1 }, { partNumber: 2, etag: 'B&B', sizeBytes: 1 }])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"AA"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>"B&amp;B"</ETag></Part></CompleteMultipartUpload>',
    );
  });
});
