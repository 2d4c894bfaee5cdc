import sharp from 'sharp';
import type { ImageOp, OssProcess, OutputFormat, ResizeOp } from './parseOssProcess';
import { OssError } from './ossError';

/** OSS processes images of at most 20 MB (https://help.aliyun.com/document_detail/44706.html, limits). */
export const MAX_PROCESS_SOURCE_BYTES = 20 * 1024 * 1024;

export interface RenderedObject {
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<OutputFormat, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

function sourceFormat(contentType: string): OutputFormat {
  if (contentType === 'image/png') return 'png';
  if (contentType === 'image/webp') return 'webp';
  return 'jpg';
}

const FIT: Record<ResizeOp['mode'], keyof sharp.FitEnum> = { lfit: 'inside', mfit: 'outside', fill: 'cover', pad: 'contain', fixed: 'fill' };

function resizeOptions(op: ResizeOp, width: number, height: number): sharp.ResizeOptions {
  const base = { withoutEnlargement: op.limit, background: op.color };
  if (op.percent !== undefined) return { ...base, width: Math.max(1, Math.round((width * op.percent) / 100)) };
  if (op.longest !== undefined || op.shortest !== undefined) {
    // l_ and s_ bound the longest and shortest side, keeping the ratio.
    const byLongest = op.longest !== undefined ? op.longest / Math.max(width, height) : Infinity;
    const byShortest = op.shortest !== undefined ? op.shortest / Math.min(width, height) : Infinity;
    const scale = Math.min(byLongest, byShortest);
    return { ...base, width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), fit: 'fill' };
  }
  // With one side only, every mode scales proportionally to it.
  if (op.width === undefined || op.height === undefined) return { ...base, width: op.width, height: op.height };
  return { ...base, width: op.width, height: op.height, fit: FIT[op.mode] };
}

async function renderImage(source: Buffer, contentType: string, ops: ImageOp[]): Promise<RenderedObject> {
  if (source.length > MAX_PROCESS_SOURCE_BYTES) throw new OssError(400, 'ImageTooLarge', `The source image is larger than ${MAX_PROCESS_SOURCE_BYTES} bytes.`);
  let image = sharp(source, { failOn: 'error' });
  let meta: sharp.Metadata;
  try {
    meta = await image.metadata();
  } catch {
    throw new OssError(400, 'InvalidArgument', 'The source object is not an image the local OSS emulator can decode.');
  }
  let format = sourceFormat(contentType);
  let quality: number | undefined;
  let progressive = false;
  let width = meta.width ?? 1;
  let height = meta.height ?? 1;
  for (const op of ops) {
    if (op.action === 'auto-orient' && op.enabled) image = image.rotate();
    if (op.action === 'resize') {
      const options = resizeOptions(op, width, height);
      image = sharp(await image.resize(options).toBuffer());
      ({ width = width, height = height } = await image.metadata());
    }
    if (op.action === 'quality') quality = op.absolute ?? op.relative;
    if (op.action === 'format') format = op.format;
    if (op.action === 'interlace') progressive = op.enabled;
  }
  const body =
    format === 'png' ? await image.png({ progressive }).toBuffer() : format === 'webp' ? await image.webp({ quality }).toBuffer() : await image.jpeg({ quality, progressive }).toBuffer();
  return { body, contentType: CONTENT_TYPES[format] };
}

/**
 * A video frame cannot be taken without a video decoder, which the local cloud does not ship: it
 * answers a placeholder poster of the requested size (grey, with a play mark), as the README says.
 */
async function renderSnapshotPlaceholder(process: Extract<OssProcess, { kind: 'video-snapshot' }>, contentType: string): Promise<RenderedObject> {
  if (!contentType.startsWith('video/')) throw new OssError(400, 'InvalidArgument', 'video/snapshot needs a video object.');
  const width = process.width || (process.height ? Math.round((process.height * 16) / 9) : 640);
  const height = process.height || Math.round((width * 9) / 16);
  const mark = Math.max(4, Math.round(Math.min(width, height) / 4));
  const cx = width / 2;
  const cy = height / 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#5a5a5a"/><polygon points="${cx - mark / 2},${cy - mark / 2} ${cx - mark / 2},${cy + mark / 2} ${cx + mark / 2},${cy}" fill="#f0f0f0"/></svg>`;
  const image = sharp(Buffer.from(svg));
  const body = process.format === 'png' ? await image.png().toBuffer() : await image.jpeg({ quality: 80 }).toBuffer();
  return { body, contentType: process.format === 'png' ? 'image/png' : 'image/jpeg' };
}

/** The processed answer for an object's bytes. */
export function renderOssProcess(process: OssProcess, source: Buffer, contentType: string): Promise<RenderedObject> {
  return process.kind === 'image' ? renderImage(source, contentType, process.ops) : renderSnapshotPlaceholder(process, contentType);
}
