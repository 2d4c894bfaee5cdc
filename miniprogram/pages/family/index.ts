/**
 * A family: who is in it, its albums, and the invite card. The owner invites (邀请家人 creates a
 * code; the share button sends it as a card), renames albums and removes members; a member leaves.
 * Thin: events → utils → `setData`.
 */
import type { AlbumView } from '../../../typings/api';
import { confirmModal, promptText } from '../../utils/modal';
import { albumUrl, albumViewUrl, joinUrl, PROFILE_URL } from '../../utils/pageUrls';
import { servicesFor } from '../../utils/services';
import { memberItems, type MemberItem } from './viewModel';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

Component({
  data: {
    familyId: 0,
    familyName: '',
    isOwner: false,
    meId: 0,
    meName: '',
    members: [] as MemberItem[],
    albums: [] as AlbumView[],
    inviteCode: '',
    inviting: false,
    loaded: false,
    error: '',
  },

  methods: {
    /** Resolves when the family is shown (tests await it). */
    onLoad(query: Record<string, string | undefined> = {}): Promise<void> {
      this.setData({ familyId: Number(query.familyId) || 0 });
      return this.load();
    },

    async load(): Promise<void> {
      const { albumApi, familyApi } = servicesFor(wx);
      try {
        const [families, me] = await Promise.all([albumApi.listFamilies(), familyApi.me()]);
        const family = families.find((f) => f.id === this.data.familyId) ?? (this.data.familyId ? undefined : families[0]);
        if (!family) {
          this.setData({ loaded: true, error: '你已不在这个家庭里了' });
          return;
        }
        const isOwner = family.role === 'owner';
        const [members, albums] = await Promise.all([familyApi.listMembers(family.id), albumApi.listAlbums(family.id)]);
        this.setData({
          familyId: family.id,
          familyName: family.name,
          isOwner,
          meId: me.id,
          meName: me.nickname ?? '',
          members: memberItems(members, me.id, isOwner),
          albums,
          loaded: true,
          error: '',
        });
      } catch (err) {
        this.setData({ loaded: true, error: `加载家庭失败：${messageOf(err)}` });
      }
    },

    /** 邀请家人: a fresh code; the share button that appears then sends it as a card. */
    async invite(): Promise<void> {
      if (this.data.inviting) return;
      this.setData({ inviting: true, error: '' });
      try {
        const invite = await servicesFor(wx).familyApi.createInvite(this.data.familyId);
        this.setData({ inviteCode: invite.code, inviting: false });
      } catch (err) {
        this.setData({ inviting: false, error: `创建邀请失败：${messageOf(err)}` });
      }
    },

    /**
     * The card `button open-type="share"` sends: its `path` carries the code to the join page.
     * https://developers.weixin.qq.com/miniprogram/dev/reference/api/Page.html#onShareAppMessage-Object-object
     */
    onShareAppMessage() {
      const who = this.data.meName || '家人';
      if (!this.data.inviteCode) return { title: `${this.data.familyName}的家庭相册`, path: albumUrl() };
      return { title: `${who}邀请你加入「${this.data.familyName}」家庭相册`, path: joinUrl(this.data.inviteCode) };
    },

    async removeMember(event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { userId: number }>): Promise<void> {
      const member = this.data.members.find((m) => m.userId === Number(event.currentTarget.dataset.userId));
      if (!member || !member.removable) return;
      const ok = await confirmModal(wx, { title: '移除成员', content: `确定把「${member.name}」移出家庭吗？他上传的照片会留在家庭相册里。`, confirmText: '移除', danger: true });
      if (!ok) return;
      try {
        await servicesFor(wx).familyApi.removeMember(this.data.familyId, member.userId);
        await this.load();
      } catch (err) {
        this.setData({ error: `移除失败：${messageOf(err)}` });
      }
    },

    async leave(): Promise<void> {
      const ok = await confirmModal(wx, { title: '退出家庭', content: `确定退出「${this.data.familyName}」吗？退出后将看不到这个家庭的相册。`, confirmText: '退出', danger: true });
      if (!ok) return;
      try {
        await servicesFor(wx).familyApi.removeMember(this.data.familyId, this.data.meId);
        wx.reLaunch({ url: albumUrl() });
      } catch (err) {
        const code = (err as { code?: string }).code;
        this.setData({ error: code === 'last_owner' ? '你是这个家庭唯一的主人，不能退出' : `退出失败：${messageOf(err)}` });
      }
    },

    async createAlbum(): Promise<void> {
      const name = await promptText(wx, { title: '新建相册', placeholder: '相册名称' });
      if (!name) return;
      try {
        const album = await servicesFor(wx).albumApi.createAlbum(this.data.familyId, name);
        this.setData({ albums: [...this.data.albums, album], error: '' });
      } catch (err) {
        this.setData({ error: `新建相册失败：${messageOf(err)}` });
      }
    },

    async renameAlbum(event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { index: number }>): Promise<void> {
      const index = Number(event.currentTarget.dataset.index);
      const album = this.data.albums[index];
      if (!album) return;
      const name = await promptText(wx, { title: '相册改名', value: album.name });
      if (!name || name === album.name) return;
      try {
        const renamed = await servicesFor(wx).familyApi.renameAlbum(album.id, name);
        this.setData({ [`albums[${index}]`]: renamed, error: '' });
      } catch (err) {
        const code = (err as { code?: string }).code;
        this.setData({ error: code === 'forbidden' ? '只有家庭主人或相册的创建者可以改名' : `改名失败：${messageOf(err)}` });
      }
    },

    openAlbum(event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: number }>) {
      wx.navigateTo({ url: albumViewUrl(this.data.familyId, Number(event.currentTarget.dataset.id)) });
    },

    openProfile() {
      wx.navigateTo({ url: PROFILE_URL });
    },

    /** Back from the profile page: names and avatars may have changed. */
    onShow() {
      if (this.data.loaded) return this.load();
      return Promise.resolve();
    },
  },
});
