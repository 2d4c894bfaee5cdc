import { ROUTES, routePath } from '@family-album/contract';
import type {
  AlbumView,
  CreateInviteRequest,
  CreateInviteResponse,
  FamilyView,
  InvitePreviewResponse,
  JoinFamilyRequest,
  JoinFamilyResponse,
  ListMembersResponse,
  MemberView,
  MeResponse,
  OssUploadConfig,
  RenameAlbumRequest,
  RenameAlbumResponse,
  UpdateMeRequest,
  UserView,
} from '../../typings/api';
import type { RequestAPI } from './request';
import { ApiRequestError } from './sendWxRequest';

/** Sharing a family: invites, members, the caller's profile, album names and deleting photos. */
export interface FamilyApi {
  listMembers(familyId: number): Promise<MemberView[]>;
  /** The owner removes a member; a member passes their own id to leave. */
  removeMember(familyId: number, userId: number): Promise<void>;
  createInvite(familyId: number): Promise<CreateInviteResponse>;
  /** What the join page shows before joining; 404/410 for an unknown, expired or used-up code. */
  previewInvite(code: string): Promise<InvitePreviewResponse>;
  join(code: string): Promise<FamilyView>;
  renameAlbum(albumId: number, name: string): Promise<AlbumView>;
  /** Deleted, or already gone (the API answers 404 to a repeated delete): either way, not shown any more. */
  deletePhoto(photoId: number): Promise<void>;
  me(): Promise<UserView>;
  updateMe(patch: UpdateMeRequest): Promise<UserView>;
  /** A POST policy for the caller's own `avatars/<userId>/` folder. */
  avatarUploadConfig(): Promise<OssUploadConfig>;
}

export function createFamilyApi(requestAPI: RequestAPI): FamilyApi {
  return {
    async listMembers(familyId) {
      return (await requestAPI<ListMembersResponse>({ method: 'GET', path: routePath('familyMembers', { id: familyId }) })).members;
    },
    async removeMember(familyId, userId) {
      await requestAPI<unknown>({ method: 'DELETE', path: routePath('familyMember', { id: familyId, userId }) });
    },
    createInvite(familyId) {
      const body: CreateInviteRequest = {};
      return requestAPI<CreateInviteResponse>({ method: 'POST', path: routePath('familyInvites', { id: familyId }), data: body });
    },
    previewInvite(code) {
      return requestAPI<InvitePreviewResponse>({ method: 'GET', path: routePath('invite', { code }) });
    },
    async join(code) {
      const body: JoinFamilyRequest = { code };
      return (await requestAPI<JoinFamilyResponse>({ method: 'POST', path: ROUTES.joinFamily, data: body })).family;
    },
    async renameAlbum(albumId, name) {
      const body: RenameAlbumRequest = { name };
      return (await requestAPI<RenameAlbumResponse>({ method: 'PATCH', path: routePath('album', { id: albumId }), data: body })).album;
    },
    async deletePhoto(photoId) {
      try {
        await requestAPI<unknown>({ method: 'DELETE', path: routePath('photo', { id: photoId }) });
      } catch (err) {
        if (!(err instanceof ApiRequestError && err.status === 404)) throw err;
      }
    },
    async me() {
      return (await requestAPI<MeResponse>({ method: 'GET', path: ROUTES.me })).user;
    },
    async updateMe(patch) {
      return (await requestAPI<MeResponse>({ method: 'PATCH', path: ROUTES.me, data: patch })).user;
    },
    avatarUploadConfig() {
      return requestAPI<OssUploadConfig>({ method: 'GET', path: ROUTES.avatarSignature });
    },
  };
}

const INVITE_ERROR_TEXT: Record<string, string> = {
  invite_not_found: '这个邀请不存在，请让家人重新邀请',
  invite_expired: '这个邀请已过期，请让家人重新邀请',
  invite_used_up: '这个邀请已经被使用过了，请让家人重新邀请',
  rate_limited: '尝试太频繁了，请稍后再试',
};

/** Plain Chinese for why an invite cannot be used; anything else is a network or server trouble. */
export function inviteErrorText(err: unknown): string {
  const code = err instanceof ApiRequestError ? err.code : '';
  return INVITE_ERROR_TEXT[code] ?? '暂时无法打开邀请，请检查网络后重试';
}
