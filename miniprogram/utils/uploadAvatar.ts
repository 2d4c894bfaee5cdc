import { AVATAR_EXTENSIONS, avatarKeyFor, extensionOfPath, LIMITS, MEDIA_TYPES } from '@family-album/contract';
import type { UserView } from '../../typings/api';
import { ClientError } from './clientError';
import { computeHash, type NativeDigestMemory } from './computeHash';
import type { FamilyApi } from './familyApi';
import { postObject } from './ossPostObject';
import type { WxApi } from './types';

export interface UploadAvatarDeps {
  wx: WxApi;
  familyApi: FamilyApi;
  nativeDigest?: NativeDigestMemory;
}

/**
 * A picture from `button open-type="chooseAvatar"` becomes the caller's avatar: hashed, posted
 * straight to OSS under `avatars/<userId>/<md5>.<ext>` with the API's avatar policy (the same signed
 * direct upload as photos; no byte goes through the API), then recorded with `PATCH /me`.
 * https://developers.weixin.qq.com/miniprogram/en/dev/framework/open-ability/userProfile.html
 */
export async function uploadAvatar(tempPath: string, userId: number, deps: UploadAvatarDeps): Promise<UserView> {
  const size = await fileSize(deps.wx, tempPath);
  if (size > LIMITS.maxAvatarBytes) throw new ClientError(0, 'too_large', '头像图片太大了，请换一张', undefined, false);
  // chooseAvatar hands over a JPEG or PNG temp file; a name without a known image extension is taken for a JPEG.
  const named = extensionOfPath(tempPath);
  const extension = (AVATAR_EXTENSIONS as readonly string[]).includes(named) ? named : 'jpg';
  const md5 = await computeHash({ path: tempPath, size }, { wx: deps.wx, nativeDigest: deps.nativeDigest });
  const key = avatarKeyFor(userId, md5, extension);
  const config = await deps.familyApi.avatarUploadConfig();
  // 409 FileAlreadyExists is fine: the key is content-addressed, so those are these very bytes.
  await postObject({ wx: deps.wx, config, key, filePath: tempPath, contentType: MEDIA_TYPES[extension].contentType });
  return deps.familyApi.updateMe({ avatar_key: key });
}

function fileSize(wx: WxApi, filePath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    wx.getFileSystemManager().getFileInfo({
      filePath,
      success: (res) => resolve(res.size),
      fail: (err) => reject(new ClientError(0, 'file_unreadable', `getFileInfo failed: ${err?.errMsg ?? 'unknown error'}`, err, false)),
    });
  });
}
