import type { MemberView } from '../../../typings/api';

export interface MemberItem {
  userId: number;
  name: string;
  avatarUrl: string;
  roleText: string;
  isMe: boolean;
  /** The owner may remove anyone but themself (they leave instead). */
  removable: boolean;
}

/** Members as the family page lists them: owners first, then by when they joined. */
export function memberItems(members: MemberView[], meId: number, callerIsOwner: boolean): MemberItem[] {
  return [...members]
    .sort((a, b) => (a.role === b.role ? a.joined_at.localeCompare(b.joined_at) : a.role === 'owner' ? -1 : 1))
    .map((m) => ({
      userId: m.user_id,
      name: m.nickname || '未设置昵称',
      avatarUrl: m.avatar_url ?? '',
      roleText: m.role === 'owner' ? '主人' : '成员',
      isMe: m.user_id === meId,
      removable: callerIsOwner && m.user_id !== meId,
    }));
}
