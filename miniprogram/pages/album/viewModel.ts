import type { AlbumPhotoView } from '../../../typings/api';

export interface AlbumItem {
  id: number;
  thumb: string;
  url: string;
  isVideo: boolean;
  uploaderName: string;
  /** The uploader deletes their own; the family's owner deletes any. The API checks again. */
  deletable: boolean;
}

export function albumItems(photos: AlbumPhotoView[], meId: number, isOwner: boolean): AlbumItem[] {
  return photos.map((p) => ({
    id: p.id,
    thumb: p.thumbnail_url,
    url: p.url,
    isVideo: p.file_type === 'video',
    uploaderName: p.uploaded_by?.id === meId ? '我' : p.uploaded_by?.nickname || '家人',
    deletable: isOwner || p.uploaded_by?.id === meId,
  }));
}

/**
 * What `wx.previewMedia` swipes through: every loaded photo and video, videos with their poster.
 * https://developers.weixin.qq.com/miniprogram/dev/api/media/image/wx.previewMedia.html
 */
export function previewSources(items: AlbumItem[]): WechatMiniprogram.MediaSource[] {
  return items.map((i) => (i.isVideo ? { url: i.url, type: 'video' as const, poster: i.thumb } : { url: i.url, type: 'image' as const }));
}
