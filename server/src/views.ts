import type { AlbumView, FamilyView, PhotoView } from '../../typings/api';
import type { Album, FamilyOfMember, Photo } from './store/Store';

export const familyView = (f: FamilyOfMember): FamilyView => ({ id: f.id, name: f.name, role: f.role });

export const albumView = (a: Album): AlbumView => ({ id: a.id, family_id: a.familyId, name: a.name, is_default: a.isDefault, created_at: a.createdAt.toISOString() });

export const photoView = (p: Photo): PhotoView => ({
  id: p.id,
  album_id: p.albumId,
  family_id: p.familyId,
  file_name: p.fileName,
  file_type: p.fileType,
  file_size: p.fileSize,
  hash_value: p.hash,
  object_key: p.objectKey,
  creator_id: p.creatorId,
  upload_time: p.uploadTime.toISOString(),
  created_at: p.createdAt.toISOString(),
});
