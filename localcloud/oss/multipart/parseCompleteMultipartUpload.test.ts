import { isOssError } from '../ossError';
import { parseCompleteMultipartUpload } from './parseCompleteMultipartUpload';

function codeOf(xml: string): string {
  try {
    parseCompleteMultipartUpload(xml);
  } catch (err) {
    if (isOssError(err)) return err.code;
    throw err;
  }
  return 'parsed';
}

describe('parseCompleteMultipartUpload', () => {
  test('reads the part list as ali-oss sends it', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>\n<Part>\n<PartNumber>1</PartNumber>\n<ETag>"3349DC700140D7F86A0784842780AAAA"</ETag>\n</Part>\n' +
      '<Part>\n<PartNumber>5</PartNumber>\n<ETag>"8EFDA8BE206636A695359836FE0ABBBB"</ETag>\n</Part>\n</CompleteMultipartUpload>';
    expect(parseCompleteMultipartUpload(xml)).toEqual([
      { partNumber: 1, etag: '"3349DC700140D7F86A0784842780AAAA"' },
      { partNumber: 5, etag: '"8EFDA8BE206636A695359836FE0ABBBB"' },
    ]);
  });

  test('keeps the order sent (the order rule is checked later), decodes entities, ignores attributes and comments', () => {
    const xml = `<CompleteMultipartUpload xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"><!-- two parts -->
      <Part><ETag>&quot;BB&#34;</ETag><PartNumber> 2 </PartNumber></Part><Part><PartNumber>1</PartNumber><ETag>AA</ETag></Part></CompleteMultipartUpload>`;
    expect(parseCompleteMultipartUpload(xml)).toEqual([
      { partNumber: 2, etag: '"BB"' },
      { partNumber: 1, etag: 'AA' },
    ]);
  });

  test('an empty list parses to no parts (refused later by the part rules)', () => {
    expect(parseCompleteMultipartUpload('<CompleteMultipartUpload/>')).toEqual([]);
  });

  test.each([
    ['empty body', ''],
    ['wrong root', '<Complete><Part><PartNumber>1</PartNumber><ETag>A</ETag></Part></Complete>'],
    ['unclosed', '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>A</ETag></Part>'],
    ['mismatched close', '<CompleteMultipartUpload><Part><PartNumber>1</ETag></Part></CompleteMultipartUpload>'],
    ['missing ETag', '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>'],
    ['two PartNumbers', '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber><ETag>A</ETag></Part></CompleteMultipartUpload>'],
    ['unknown element', '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>A</ETag><Size>3</Size></Part></CompleteMultipartUpload>'],
    ['stray element', '<CompleteMultipartUpload><Other/></CompleteMultipartUpload>'],
    ['non-integer number', '<CompleteMultipartUpload><Part><PartNumber>1.5</PartNumber><ETag>A</ETag></Part></CompleteMultipartUpload>'],
    ['unknown entity', '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&nbsp;</ETag></Part></CompleteMultipartUpload>'],
    ['two roots', '<CompleteMultipartUpload/><CompleteMultipartUpload/>'],
    ['stray <', '<CompleteMultipartUpload><</CompleteMultipartUpload>'],
    ['DTD', '<!DOCTYPE x [<!ENTITY e "x">]><CompleteMultipartUpload/>'],
  ])('%s is MalformedXML', (_, xml) => {
    expect(codeOf(xml)).toBe('MalformedXML');
  });
});
