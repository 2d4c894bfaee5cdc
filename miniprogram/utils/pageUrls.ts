/** The pages' addresses, with their query, in one place: share cards and navigation build them here. */

/** The uploader and its album, on `familyId` when given (the page falls back to the first family). */
export const albumUrl = (familyId?: number) => `/pages/albumUploader/index${familyId ? `?familyId=${familyId}` : ''}`;

export const familyUrl = (familyId: number) => `/pages/family/index?familyId=${familyId}`;

/** A share card's `path`: the code travels in the query and reaches the join page's `onLoad`. */
export const joinUrl = (code: string) => `/pages/join/index?code=${encodeURIComponent(code)}`;

export const albumViewUrl = (familyId: number, albumId: number) => `/pages/album/index?familyId=${familyId}&albumId=${albumId}`;

export const PROFILE_URL = '/pages/profile/index';
