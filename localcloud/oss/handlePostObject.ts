import { rm } from 'node:fs/promises';
import { uriEncode } from '../../oss-signer';
import { checkContentLength } from './evaluatePolicyConditions';
import type { HandlerContext, HandlerRequest } from './handlerContext';
import { ObjectProperties, postObjectContentType, propertiesFromForm } from './objectProperties';
import { escapeXml, fileAlreadyExists, policyExpired } from './ossError';
import { readPostObjectForm } from './readPostObjectForm';
import type { TempFile } from './streamToTempFile';
import { verifyPostObject, VerifiedPostObject } from './verifyPostObject';

interface ReceivedFile {
  verified: VerifiedPostObject;
  props: ObjectProperties;
  forbidOverwrite: boolean;
  temp: TempFile;
}

/**
 * PostObject (form upload to the bucket root). Everything is checked when the `file` part starts,
 * before its bytes are written; the bytes stream to a temp file (size checked against
 * content-length-range as they come); the object is committed only once the whole form has been
 * read and the policy is still unexpired ("the server must receive the complete request" before
 * expiration, 0006-00000213). `callback`, `x-oss-object-acl` and `success_action_redirect` are
 * accepted and ignored: the local cloud makes no callbacks and has one private ACL.
 */
export async function handlePostObject(ctx: HandlerContext, request: HandlerRequest): Promise<void> {
  const { bucket, res } = request;
  ctx.stats.postObjects += 1;
  const { fields, file } = await readPostObjectForm<ReceivedFile>(
    request.body,
    request.req.headers,
    ctx.formLimits,
    async (formFields, part) => {
      const contentType = postObjectContentType(formFields, part.mimeType);
      const verified = verifyPostObject({ fields: formFields, bucket, region: ctx.region, now: ctx.now(), secretFor: ctx.secretFor, contentType });
      const props = propertiesFromForm(formFields, contentType);
      const forbidOverwrite = (formFields.get('x-oss-forbid-overwrite') ?? '').toLowerCase() === 'true';
      // Answer early instead of after a long upload; the commit checks again under its lock.
      if (forbidOverwrite && (await ctx.store.head(bucket, verified.key))) throw fileAlreadyExists(verified.key);
      const temp = await ctx.store.receive(bucket, part.stream, {
        maxBytes: verified.lengthRange?.max,
        onBytes: (n) => {
          ctx.stats.bytesReceived += n;
        },
      });
      const sizeError = checkContentLength(verified.lengthRange, temp.sizeBytes);
      if (sizeError) {
        await rm(temp.path, { force: true });
        throw sizeError;
      }
      return { verified, props, forbidOverwrite, temp };
    },
    (received) => rm(received.temp.path, { force: true }),
  );

  const { key, policyExpiration } = file.verified;
  if (ctx.now().getTime() > policyExpiration.getTime()) {
    await rm(file.temp.path, { force: true });
    throw policyExpired();
  }
  const object = await ctx.store.commit(bucket, key, file.temp, file.props, { forbidOverwrite: file.forbidOverwrite, now: ctx.now(), etag: file.temp.md5Hex.toUpperCase() });
  ctx.stats.objectsWritten += 1;

  res.setHeader('ETag', `"${object.etag}"`);
  if (object.crc64 !== undefined) res.setHeader('x-oss-hash-crc64ecma', object.crc64);
  const status = fields.get('success_action_status');
  if (status === '201') {
    const host = request.req.headers.host ?? `${bucket}.oss-${ctx.region}.aliyuncs.com`;
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<PostResponse><Bucket>${escapeXml(bucket)}</Bucket><Location>${escapeXml(`http://${host}/${uriEncode(key, true)}`)}</Location>` +
      `<Key>${escapeXml(key)}</Key><ETag>${escapeXml(`"${object.etag}"`)}</ETag></PostResponse>`;
    res.writeHead(201, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) });
    res.end(xml);
    return;
  }
  res.writeHead(status === '200' ? 200 : 204, status === '200' ? { 'Content-Length': 0 } : {});
  res.end();
}
