import { fileAlreadyExists, invalidArgument, OssError } from '../ossError';

/**
 * The errors of multipart upload, with OSS's codes, statuses, wording and ECs:
 * https://help.aliyun.com/en/oss/user-guide/0017-00000244 (NoSuchUpload for an id not of OSS's form),
 * https://help.aliyun.com/document_detail/479985.html (0042-00000002, NoSuchUpload for an unknown, aborted or completed one),
 * https://help.aliyun.com/en/oss/user-guide/0017-00000220 (a bad partNumber),
 * https://help.aliyun.com/en/oss/user-guide/0042-00000209 (InvalidPartOrder),
 * https://help.aliyun.com/en/oss/user-guide/0042-00000213 (EntityTooSmall),
 * https://help.aliyun.com/en/oss/user-guide/0042-00000214 (FileAlreadyExists at completion),
 * https://help.aliyun.com/zh/oss/user-guide/0042-00000216 (x-oss-complete-all with a body),
 * https://alibabacloud.com/help/en/oss/oss-reports-an-invalidpart-error-when-using-the-multipart-upload-method-to-upload-files
 * (InvalidPart; no EC page names it, nor MalformedXML, so those carry none).
 */
export const noSuchUpload = (uploadId: string, ec: '0017-00000244' | '0042-00000002'): OssError =>
  new OssError(
    404,
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
    ec,
  );

export const invalidPartNumber = (value: string): OssError =>
  invalidArgument('Part number must be an integer between 1 and 10000, inclusive.', { ArgumentName: 'PartNumber', ArgumentValue: value }, '0017-00000220');

export const invalidPartOrder = (): OssError =>
  new OssError(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', {}, '0042-00000209');

export const invalidPart = (uploadId: string, partNumber: number, etag: string): OssError =>
  new OssError(400, 'InvalidPart', "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.", {
    UploadId: uploadId,
    PartNumber: String(partNumber),
    ETag: etag,
  });

export const entityTooSmall = (partNumber: number, sizeBytes: number, minBytes: number): OssError =>
  new OssError(
    400,
    'EntityTooSmall',
    'Your proposed upload is smaller than the minimum allowed size.',
    { PartNumber: String(partNumber), ProposedSize: String(sizeBytes), MinSizeAllowed: String(minBytes) },
    '0042-00000213',
  );

export const malformedXml = (why: string): OssError =>
  new OssError(400, 'MalformedXML', `The XML you provided was not well-formed or did not validate against our published schema. ${why}`);

export const completeAllWithBody = (): OssError => invalidArgument('Should not specify both complete all header and http body.', {}, '0042-00000216');

/** PutObject's FileAlreadyExists with another operation's EC (none where no page names one). */
export function fileAlreadyExistsFor(key: string, ec: '0042-00000214' | undefined): OssError {
  const err = fileAlreadyExists(key);
  return new OssError(err.status, err.code, err.message, err.details, ec);
}
