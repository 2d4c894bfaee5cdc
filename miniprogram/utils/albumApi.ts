import { DEFAULT_ALBUM_NAME, ROUTES, routePath } from '@family-album/contract';
import type {
  AlbumView,
  CreateAlbumRequest,
  CreateAlbumResponse,
  CreateFamilyRequest,
  CreateFamilyResponse,
  FamilyView,
  ListAlbumsResponse,
  ListFamiliesResponse,
  ListPhotosResponse,
} from '../../typings/api';
import type { RequestAPI } from './request';

/** The album API's families, albums and photo pages, as the pages use them; the upload path is `uploadFilesToOSS`. */
export interface AlbumApi {
  listFamilies(): Promise<FamilyView[]>;
  /** A new family, owned by the caller; the server gives it its default album. */
  createFamily(name: string): Promise<FamilyView>;
  listAlbums(familyId: number): Promise<AlbumView[]>;
  createAlbum(familyId: number, name: string): Promise<AlbumView>;
  /** One page of an album, newest first; `next_cursor` asks for the next. */
  listPhotos(albumId: number, page: { cursor?: string; limit: number }): Promise<ListPhotosResponse>;
  /** The caller's families; one named `nameIfNone` is created for a caller who has none. */
  familiesOrFirst(nameIfNone: string): Promise<FamilyView[]>;
  /** A family's albums; a family left with none gets the default album back. */
  albumsOrDefault(familyId: number): Promise<AlbumView[]>;
}

export function createAlbumApi(requestAPI: RequestAPI): AlbumApi {
  const api: AlbumApi = {
    async listFamilies() {
      return (await requestAPI<ListFamiliesResponse>({ method: 'GET', path: ROUTES.families })).families;
    },
    async createFamily(name) {
      const body: CreateFamilyRequest = { name };
      return (await requestAPI<CreateFamilyResponse>({ method: 'POST', path: ROUTES.families, data: body })).family;
    },
    async listAlbums(familyId) {
      return (await requestAPI<ListAlbumsResponse>({ method: 'GET', path: routePath('familyAlbums', { id: familyId }) })).albums;
    },
    async createAlbum(familyId, name) {
      const body: CreateAlbumRequest = { name };
      return (await requestAPI<CreateAlbumResponse>({ method: 'POST', path: routePath('familyAlbums', { id: familyId }), data: body })).album;
    },
    listPhotos(albumId, page) {
      return requestAPI<ListPhotosResponse>({ method: 'GET', path: routePath('albumPhotos', { id: albumId }), query: { cursor: page.cursor, limit: page.limit } });
    },
    async familiesOrFirst(nameIfNone) {
      const families = await api.listFamilies();
      return families.length > 0 ? families : [await api.createFamily(nameIfNone)];
    },
    async albumsOrDefault(familyId) {
      const albums = await api.listAlbums(familyId);
      return albums.length > 0 ? albums : [await api.createAlbum(familyId, DEFAULT_ALBUM_NAME)];
    },
  };
  return api;
}
