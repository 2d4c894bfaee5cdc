import type { CommitPhotosResponse, OssUploadConfig } from '../typings/api';
import { photoMetaFor } from '../miniprogram/utils/commitPhotos';
import { computeHash } from '../miniprogram/utils/computeHash';
import { contentTypeOf, extensionOf } from '../miniprogram/utils/fileFilter';
import { postObjectFormFields } from '../typings';
import type { SelectedFile } from '../miniprogram/utils/types';
import type { Phone } from './phone';

/**
 * The original article's loop, the baseline of part 2: for each file in turn, hash it (the key is
 * content-addressed), get a signature, `wx.uploadFile` it, then commit that one photo — each step
 * awaited before the next. Same phone, same utils for the pieces, nothing in parallel.
 */
export async function uploadSequentially(files: readonly SelectedFile[], ids: { familyId: number; albumId: number }, phone: Phone): Promise<void> {
  for (const selected of files) {
    const hash = await computeHash(selected, { wx: phone.wx });
    const file = { ...selected, hash };
    const config = await phone.requestAPI<OssUploadConfig>({ method: 'GET', path: '/families/oss/signature', query: { family_id: ids.familyId, album_id: ids.albumId } });
    const extension = extensionOf(file);
    const key = `${config.file_base_path}${hash}.${extension}`;
    await new Promise<void>((resolve, reject) => {
      phone.wx.uploadFile({
        url: config.host,
        filePath: file.path,
        name: 'file',
        formData: postObjectFormFields(config, key, contentTypeOf(file)),
        timeout: 600_000,
        success: (res) => (res.statusCode === 200 ? resolve() : reject(new Error(`OSS answered ${res.statusCode}: ${String(res.data).slice(0, 200)}`))),
        fail: (err) => reject(new Error(`uploadFile failed: ${err.errMsg}`)),
      });
    });
    const answer = await phone.requestAPI<CommitPhotosResponse>({ method: 'POST', path: '/photos', data: { data: [photoMetaFor(file, ids, key, extension)] } });
    if (answer.failed.length) throw new Error(`commit failed: ${JSON.stringify(answer.failed)}`);
  }
}
