import { OssError } from './ossError';

/**
 * `x-oss-process` parameters, parsed as OSS reads them: `image/<action>,<param>_<value>/…` or
 * `video/snapshot,…`. What the local cloud renders for real is the image processing the product
 * asks for (resize, quality, format, auto-orient, interlace) and a placeholder video snapshot;
 * other documented actions answer 501 NotImplemented, and anything OSS itself would not accept
 * answers its 400 InvalidArgument / MissingArgument
 * (https://help.aliyun.com/zh/oss/user-guide/resize-images-4,
 * https://help.aliyun.com/zh/oss/user-guide/video-snapshots, error codes:
 * https://help.aliyun.com/document_detail/44706.html).
 */

export type ResizeMode = 'lfit' | 'mfit' | 'fill' | 'pad' | 'fixed';
export type OutputFormat = 'jpg' | 'png' | 'webp';

export interface ResizeOp {
  action: 'resize';
  mode: ResizeMode;
  width?: number;
  height?: number;
  /** Longest / shortest side (`l_`, `s_`). */
  longest?: number;
  shortest?: number;
  percent?: number;
  /** `limit_1` (the default): never enlarge a smaller image. */
  limit: boolean;
  /** Background for `m_pad`, as `#rrggbb`. */
  color: string;
}
export type ImageOp =
  | ResizeOp
  | { action: 'quality'; relative?: number; absolute?: number }
  | { action: 'format'; format: OutputFormat }
  | { action: 'auto-orient'; enabled: boolean }
  | { action: 'interlace'; enabled: boolean };

export type OssProcess = { kind: 'image'; ops: ImageOp[] } | { kind: 'video-snapshot'; atMs: number; width: number; height: number; format: 'jpg' | 'png' };

/** Actions OSS documents that the emulator does not render. */
const DOCUMENTED_BUT_NOT_EMULATED = new Set(['crop', 'circle', 'indexcrop', 'rounded-corners', 'rotate', 'flip', 'blur', 'bright', 'contrast', 'sharpen', 'watermark', 'info', 'average-hue', 'bgcolor']);

const invalid = (message: string) => new OssError(400, 'InvalidArgument', message);

function integer(action: string, name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw invalid(`The ${action} parameter ${name} must be an integer, got "${value}".`);
  const n = Number(value);
  if (n < min || n > max) throw invalid(`The ${action} parameter ${name} must be within [${min},${max}], got ${n}.`);
  return n;
}

function params(action: string, parts: string[], allowed: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of parts) {
    const m = /^([a-z]+)_(.*)$/i.exec(part);
    if (!m || !allowed.includes(m[1])) throw invalid(`Unknown parameter "${part}" for ${action}.`);
    if (found.has(m[1])) throw invalid(`The ${action} parameter ${m[1]} is given twice.`);
    found.set(m[1], m[2]);
  }
  return found;
}

const flag = (action: string, parts: string[]): boolean => {
  if (parts.length !== 1 || !/^[01]$/.test(parts[0])) throw invalid(`${action} takes 0 or 1.`);
  return parts[0] === '1';
};

function parseResize(parts: string[]): ResizeOp {
  if (parts.length === 0) throw new OssError(400, 'MissingArgument', 'The resize action needs parameters.');
  const p = params('resize', parts, ['m', 'w', 'h', 'l', 's', 'p', 'limit', 'color']);
  const mode = p.get('m') ?? 'lfit';
  if (!['lfit', 'mfit', 'fill', 'pad', 'fixed'].includes(mode)) throw invalid(`The resize parameter m must be lfit, mfit, fill, pad or fixed, got "${mode}".`);
  const side = (name: string) => (p.has(name) ? integer('resize', name, p.get(name) as string, 1, 16384) : undefined);
  const color = p.get('color') ?? 'FFFFFF';
  if (!/^[0-9a-f]{6}$/i.test(color)) throw invalid(`The resize parameter color must be six hex digits, got "${color}".`);
  const op: ResizeOp = {
    action: 'resize',
    mode: mode as ResizeMode,
    width: side('w'),
    height: side('h'),
    longest: side('l'),
    shortest: side('s'),
    percent: p.has('p') ? integer('resize', 'p', p.get('p') as string, 1, 1000) : undefined,
    limit: p.has('limit') ? integer('resize', 'limit', p.get('limit') as string, 0, 1) === 1 : true,
    color: `#${color}`,
  };
  if (op.width === undefined && op.height === undefined && op.longest === undefined && op.shortest === undefined && op.percent === undefined) {
    throw new OssError(400, 'MissingArgument', 'The resize action needs w, h, l, s or p.');
  }
  return op;
}

function parseImageAction(segment: string): ImageOp {
  const [action, ...parts] = segment.split(',');
  switch (action) {
    case 'resize':
      return parseResize(parts);
    case 'quality': {
      const p = params('quality', parts, ['q', 'Q']);
      if (p.size !== 1) throw new OssError(400, 'MissingArgument', 'The quality action needs exactly one of q or Q.');
      return p.has('q') ? { action: 'quality', relative: integer('quality', 'q', p.get('q') as string, 1, 100) } : { action: 'quality', absolute: integer('quality', 'Q', p.get('Q') as string, 1, 100) };
    }
    case 'format': {
      const format = parts.length === 1 ? parts[0].toLowerCase() : '';
      if (format === 'jpg' || format === 'jpeg') return { action: 'format', format: 'jpg' };
      if (format === 'png' || format === 'webp') return { action: 'format', format };
      if (['bmp', 'gif', 'tiff', 'heic', 'avif'].includes(format)) throw new OssError(501, 'NotImplemented', `The local OSS emulator does not render format ${format}.`);
      throw invalid(`Unknown format "${parts.join(',')}".`);
    }
    case 'auto-orient':
      return { action: 'auto-orient', enabled: flag('auto-orient', parts) };
    case 'interlace':
      return { action: 'interlace', enabled: flag('interlace', parts) };
    default:
      if (DOCUMENTED_BUT_NOT_EMULATED.has(action)) throw new OssError(501, 'NotImplemented', `The local OSS emulator does not render image/${action}.`);
      throw invalid(`Unknown image action "${action}".`);
  }
}

function parseSnapshot(parts: string[]): OssProcess {
  const p = params('snapshot', parts, ['t', 'w', 'h', 'm', 'f', 'ar']);
  if (!p.has('t') || !p.has('f')) throw new OssError(400, 'MissingArgument', 'video/snapshot needs t and f.');
  const format = p.get('f');
  if (format !== 'jpg' && format !== 'png') throw invalid(`The snapshot parameter f must be jpg or png, got "${format}".`);
  if (p.has('m') && p.get('m') !== 'fast') throw invalid(`The snapshot parameter m must be fast, got "${p.get('m')}".`);
  if (p.has('ar') && p.get('ar') !== 'auto') throw invalid(`The snapshot parameter ar must be auto, got "${p.get('ar')}".`);
  const side = (name: string) => (p.has(name) ? integer('snapshot', name, p.get(name) as string, 0, 4096) : 0);
  return { kind: 'video-snapshot', atMs: integer('snapshot', 't', p.get('t') as string, 0, 86_400_000), width: side('w'), height: side('h'), format };
}

export function parseOssProcess(text: string): OssProcess {
  const [kind, ...segments] = text.split('/');
  if (segments.length === 0 || segments.some((s) => s === '')) throw invalid(`Malformed x-oss-process "${text}".`);
  if (kind === 'image') {
    if (segments.length > 16) throw invalid('Too many image actions.');
    return { kind: 'image', ops: segments.map(parseImageAction) };
  }
  if (kind === 'video') {
    const [action, ...parts] = segments[0].split(',');
    if (action !== 'snapshot' || segments.length !== 1) throw new OssError(501, 'NotImplemented', `The local OSS emulator does not render video/${segments.join('/')}.`);
    return parseSnapshot(parts);
  }
  if (kind === 'style' || kind === 'doc' || kind === 'audio') throw new OssError(501, 'NotImplemented', `The local OSS emulator does not render ${kind}/ processing.`);
  throw invalid(`Unknown processing type "${kind}".`);
}
