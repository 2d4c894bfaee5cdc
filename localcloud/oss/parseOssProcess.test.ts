import { OssError } from './ossError';
import { parseOssProcess } from './parseOssProcess';

const failure = (text: string) => {
  try {
    parseOssProcess(text);
  } catch (error) {
    if (error instanceof OssError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error(`${text} parsed`);
};

describe('parseOssProcess', () => {
  test("the product's thumbnail parameters", () => {
    expect(parseOssProcess('image/resize,m_fill,w_360,h_360/quality,q_80/format,jpg')).toEqual({
      kind: 'image',
      ops: [
        { action: 'resize', mode: 'fill', width: 360, height: 360, longest: undefined, shortest: undefined, percent: undefined, limit: true, color: '#FFFFFF' },
        { action: 'quality', relative: 80 },
        { action: 'format', format: 'jpg' },
      ],
    });
    expect(parseOssProcess('video/snapshot,t_1000,f_jpg,w_360,h_360,m_fast')).toEqual({ kind: 'video-snapshot', atMs: 1000, width: 360, height: 360, format: 'jpg' });
  });

  test('defaults: lfit, limit_1; Q_ is absolute quality; auto-orient and interlace flags', () => {
    expect(parseOssProcess('image/resize,w_100/quality,Q_50/auto-orient,1/interlace,0')).toMatchObject({
      ops: [{ mode: 'lfit', width: 100, limit: true }, { absolute: 50 }, { action: 'auto-orient', enabled: true }, { action: 'interlace', enabled: false }],
    });
  });

  test.each([
    ['image/resize,w_0', 400, 'InvalidArgument'], // 0040-00000312: w within [1,16384]
    ['image/resize,w_16385', 400, 'InvalidArgument'],
    ['image/resize,p_0', 400, 'InvalidArgument'], // 0040-00000317: p within [1,1000]
    ['image/resize,w_100,m_abc', 400, 'InvalidArgument'], // 0040-00000311
    ['image/resize', 400, 'MissingArgument'], // 0040-00000322
    ['image/resize,m_fill', 400, 'MissingArgument'],
    ['image/resize,w_abc', 400, 'InvalidArgument'],
    ['image/resize,w_10,w_20', 400, 'InvalidArgument'],
    ['image/resize,z_10', 400, 'InvalidArgument'],
    ['image/quality,q_0', 400, 'InvalidArgument'],
    ['image/quality', 400, 'MissingArgument'],
    ['image/format,exe', 400, 'InvalidArgument'],
    ['image/explode,1', 400, 'InvalidArgument'],
    ['image/', 400, 'InvalidArgument'],
    ['image', 400, 'InvalidArgument'],
    ['pixels/resize,w_1', 400, 'InvalidArgument'],
    ['video/snapshot,t_1000', 400, 'MissingArgument'],
    ['video/snapshot,t_1000,f_gif', 400, 'InvalidArgument'],
    ['image/rotate,90', 501, 'NotImplemented'],
    ['image/watermark,text_aGk', 501, 'NotImplemented'],
    ['image/format,heic', 501, 'NotImplemented'],
    ['video/convert,f_mp4', 501, 'NotImplemented'],
    ['style/thumbnail', 501, 'NotImplemented'],
  ])('%s is refused with %d %s', (text, status, code) => {
    expect(failure(text)).toEqual({ status, code });
  });
});
