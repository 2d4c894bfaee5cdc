/** The API's paths; `:name` segments are filled by `routePath`. */
export const ROUTES = {
  login: '/auth/login',
  logout: '/auth/logout',
  families: '/families',
  familyInvites: '/families/:id/invites',
  joinFamily: '/families/join',
  familyAlbums: '/families/:id/albums',
  uploadSignature: '/families/oss/signature',
  hashCheck: '/photos/hash/check',
  photos: '/photos',
  albumPhotos: '/albums/:id/photos',
  health: '/healthz',
  multipartUploads: '/uploads/multipart',
  multipartUpload: '/uploads/multipart/:uploadId',
  multipartParts: '/uploads/multipart/:uploadId/parts',
  multipartComplete: '/uploads/multipart/:uploadId/complete',
  familyMembers: '/families/:id/members',
  familyMember: '/families/:id/members/:userId',
  invite: '/invites/:code',
  me: '/me',
  avatarSignature: '/me/avatar/signature',
  album: '/albums/:id',
  photo: '/photos/:id',
} as const;
export type RouteName = keyof typeof ROUTES;

/** A route's path with its `:id` filled: `routePath('albumPhotos', { id: 7 })` is `/albums/7/photos`. */
export function routePath(route: RouteName, params: Record<string, number | string> = {}): string {
  return ROUTES[route].replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`routePath(${route}): missing :${name}`);
    return encodeURIComponent(String(value));
  });
}
