/**
 * The family-sharing routes of the one fake album API (`createFakeAlbumApi` owns the state and
 * calls these first): members and leaving, invites and joining, the caller's profile and avatar
 * policy, album rename, photo delete. The caller is one user (`me`); other people appear as
 * members and inviters. Real twin: test/integration/familyMembers.test.ts over HTTP. Test-only.
 */
import { DEFAULT_ALBUM_NAME, isAvatarKeyOf } from '../typings';
import type { AlbumPhotoView, AlbumView, FamilyView, MemberView, UserView } from '../typings/api';
import { policyFixture } from './fixtures';

export interface FakeMe {
  id: number;
  nickname: string | null;
  avatar_key: string | null;
}

/** An invite code the fake knows; `family` is joined (with its albums) when the code is used. */
export interface FakeInvite {
  code: string;
  family: { id: number; name: string };
  inviter: string | null;
  state?: 'ok' | 'expired' | 'used_up';
  /** The family's albums, added to the caller's view on joining (its default album when none). */
  albums?: AlbumView[];
}

export interface FamilyState {
  me: FakeMe;
  families: FamilyView[];
  albums: AlbumView[];
  photos: AlbumPhotoView[];
  objects: Map<string, number>;
  known: Map<string, string>;
  /** Each family's members, the caller among them. */
  members: Map<number, MemberView[]>;
  invites: Map<string, FakeInvite>;
  viewHost: string;
  nextId: () => number;
}

type Answer = [number, unknown];
const apiError = (status: number, code: string, message: string): Answer => [status, { error: { code, message } }];

export function meView(state: FamilyState): UserView {
  const { me } = state;
  return { id: me.id, nickname: me.nickname, avatar_url: me.avatar_key ? `${state.viewHost}/${me.avatar_key}?signed` : null };
}

/** The caller as a member of a family they just made or joined. */
export function memberOf(state: FamilyState, familyId: number, role: MemberView['role']): void {
  const me = meView(state);
  const list = state.members.get(familyId) ?? [];
  if (!list.some((m) => m.user_id === me.id)) list.push({ user_id: me.id, nickname: me.nickname, avatar_url: me.avatar_url, role, joined_at: new Date(0).toISOString() });
  state.members.set(familyId, list);
}

/** Answers a family-sharing route, or undefined for the caller to route it elsewhere. */
export function familyRoute(state: FamilyState, method: string, path: string, body: any): Answer | undefined {
  let m: RegExpExecArray | null;
  const roleIn = (familyId: number) => state.families.find((f) => f.id === familyId)?.role;

  if (path === '/me') {
    if (method === 'GET') return [200, { user: meView(state) }];
    if (method === 'PATCH') {
      if (typeof body?.avatar_key === 'string') {
        if (!isAvatarKeyOf(body.avatar_key, state.me.id)) return apiError(400, 'invalid_request', 'avatar_key is not under your avatars/ folder');
        if (!state.objects.has(body.avatar_key)) return apiError(400, 'avatar_missing', 'nothing is stored at avatar_key');
        state.me.avatar_key = body.avatar_key;
      }
      if (body?.nickname !== undefined) state.me.nickname = body.nickname;
      for (const list of state.members.values()) {
        const mine = list.find((x) => x.user_id === state.me.id);
        if (mine) Object.assign(mine, { nickname: state.me.nickname, avatar_url: meView(state).avatar_url });
      }
      return [200, { user: meView(state) }];
    }
  }
  if (method === 'GET' && path === '/me/avatar/signature') {
    return [200, { ...policyFixture({ tag: 'avatar' }), file_base_path: `avatars/${state.me.id}/`, allowed_content_types: ['image/jpeg', 'image/png', 'image/webp'] }];
  }
  if ((m = /^\/families\/(\d+)\/members$/.exec(path)) && method === 'GET') {
    const familyId = Number(m[1]);
    if (!roleIn(familyId)) return apiError(404, 'not_found', 'family not found');
    return [200, { members: state.members.get(familyId) ?? [] }];
  }
  if ((m = /^\/families\/(\d+)\/members\/(\d+)$/.exec(path)) && method === 'DELETE') {
    const familyId = Number(m[1]);
    const userId = Number(m[2]);
    const role = roleIn(familyId);
    if (!role) return apiError(404, 'not_found', 'family not found');
    if (userId !== state.me.id && role !== 'owner') return apiError(403, 'forbidden', 'only the family owner can remove other members');
    const list = state.members.get(familyId) ?? [];
    const target = list.find((x) => x.user_id === userId);
    if (!target) return apiError(404, 'not_found', 'member not found');
    if (target.role === 'owner' && list.filter((x) => x.role === 'owner').length === 1) return apiError(409, 'last_owner', 'the only owner cannot leave');
    state.members.set(familyId, list.filter((x) => x !== target));
    if (userId === state.me.id) state.families.splice(state.families.findIndex((f) => f.id === familyId), 1);
    return [204, ''];
  }
  if ((m = /^\/families\/(\d+)\/invites$/.exec(path)) && method === 'POST') {
    const familyId = Number(m[1]);
    const family = state.families.find((f) => f.id === familyId);
    if (!family) return apiError(404, 'not_found', 'family not found');
    if (family.role !== 'owner') return apiError(403, 'forbidden', 'only the family owner can invite');
    const code = `CODE${state.nextId()}`;
    state.invites.set(code, { code, family: { id: family.id, name: family.name }, inviter: state.me.nickname });
    return [201, { code, expires_at: '2999-01-01T00:00:00.000Z', max_uses: 1 }];
  }
  if ((m = /^\/invites\/([^/]+)$/.exec(path)) && method === 'GET') {
    const invite = state.invites.get(decodeURIComponent(m[1]));
    if (!invite) return apiError(404, 'invite_not_found', 'no such invite code');
    const already = roleIn(invite.family.id) !== undefined;
    if (!already && invite.state === 'expired') return apiError(410, 'invite_expired', 'this invite code has expired');
    if (!already && invite.state === 'used_up') return apiError(410, 'invite_used_up', 'this invite code has already been used');
    return [200, { family: invite.family, inviter: { nickname: invite.inviter }, expires_at: '2999-01-01T00:00:00.000Z', already_member: already }];
  }
  if (method === 'POST' && path === '/families/join') {
    const invite = state.invites.get(String(body?.code ?? ''));
    if (!invite) return apiError(404, 'invite_not_found', 'no such invite code');
    const existing = state.families.find((f) => f.id === invite.family.id);
    if (existing) return [200, { family: existing }];
    if (invite.state === 'expired') return apiError(410, 'invite_expired', 'this invite code has expired');
    if (invite.state === 'used_up') return apiError(409, 'invite_used_up', 'this invite code has already been used');
    invite.state = 'used_up';
    const family: FamilyView = { ...invite.family, role: 'member' };
    state.families.push(family);
    const albums = invite.albums?.length ? invite.albums : [{ id: state.nextId(), family_id: family.id, name: DEFAULT_ALBUM_NAME, is_default: true, created_at: '' }];
    state.albums.push(...albums.filter((a) => !state.albums.some((b) => b.id === a.id)));
    memberOf(state, family.id, 'member');
    return [200, { family }];
  }
  if ((m = /^\/albums\/(\d+)$/.exec(path)) && method === 'PATCH') {
    const album = state.albums.find((a) => a.id === Number(m![1]) && roleIn(a.family_id));
    if (!album) return apiError(404, 'not_found', 'album not found');
    if (roleIn(album.family_id) !== 'owner') return apiError(403, 'forbidden', 'only the family owner or the album’s creator can rename it');
    album.name = String(body?.name ?? '').trim();
    return [200, { album }];
  }
  if ((m = /^\/photos\/(\d+)$/.exec(path)) && method === 'DELETE') {
    const index = state.photos.findIndex((p) => p.id === Number(m![1]) && roleIn(p.family_id));
    const photo = state.photos[index];
    if (!photo || (photo.creator_id !== state.me.id && roleIn(photo.family_id) !== 'owner')) return apiError(404, 'not_found', 'photo not found');
    state.photos.splice(index, 1);
    // As the API: the object goes only when no other photo (another album, 秒传) still uses it.
    if (!state.photos.some((p) => p.object_key === photo.object_key)) {
      state.objects.delete(photo.object_key);
      state.known.delete(photo.hash_value);
    }
    return [204, ''];
  }
  return undefined;
}
