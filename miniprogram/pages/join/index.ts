/**
 * Where an invite card lands: `/pages/join/index?code=…` (the share card's `path`; its query is
 * this page's `onLoad` argument). Logs in through the app's session on the first call, shows the
 * family and who invited, and joins on one tap; then the album opens on that family.
 */
import { inviteErrorText } from '../../utils/familyApi';
import { servicesFor } from '../../utils/services';
import { albumUrl } from '../../utils/pageUrls';

type JoinState = 'loading' | 'ready' | 'joining' | 'invalid';

Component({
  data: {
    state: 'loading' as JoinState,
    code: '',
    familyName: '',
    inviterName: '',
    message: '',
  },

  methods: {
    /** Resolves once the invite is shown, or the family opened (tests await it). */
    async onLoad(query: Record<string, string | undefined> = {}): Promise<void> {
      const code = decodeURIComponent(query.code ?? '').trim();
      if (!code) {
        this.setData({ state: 'invalid', message: '邀请链接不完整，请让家人重新发送' });
        return;
      }
      this.setData({ code });
      try {
        const preview = await servicesFor(wx).familyApi.previewInvite(code);
        if (preview.already_member) {
          // Already in: joining would change nothing, so just open the family.
          wx.reLaunch({ url: albumUrl(preview.family.id) });
          return;
        }
        this.setData({ state: 'ready', familyName: preview.family.name, inviterName: preview.inviter.nickname || '家人' });
      } catch (err) {
        this.setData({ state: 'invalid', message: inviteErrorText(err) });
      }
    },

    async join(): Promise<void> {
      if (this.data.state !== 'ready') return;
      this.setData({ state: 'joining', message: '' });
      try {
        const family = await servicesFor(wx).familyApi.join(this.data.code);
        wx.reLaunch({ url: albumUrl(family.id) });
      } catch (err) {
        this.setData({ state: 'invalid', message: inviteErrorText(err) });
      }
    },

    goHome() {
      wx.reLaunch({ url: albumUrl() });
    },
  },
});
