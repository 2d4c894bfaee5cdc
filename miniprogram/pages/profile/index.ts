/**
 * The caller's nickname and avatar, with WeChat's current way: `button open-type="chooseAvatar"`
 * and `<input type="nickname">` inside a form (WeChat may clear a nickname that fails its check on
 * blur, so the value is read from the form's submit).
 * https://developers.weixin.qq.com/miniprogram/en/dev/framework/open-ability/userProfile.html
 */
import { servicesFor } from '../../utils/services';
import { uploadAvatar } from '../../utils/uploadAvatar';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

Component({
  data: {
    userId: 0,
    nickname: '',
    avatarUrl: '',
    busy: false,
    notice: '',
    error: '',
  },

  methods: {
    async onLoad(): Promise<void> {
      try {
        const me = await servicesFor(wx).familyApi.me();
        this.setData({ userId: me.id, nickname: me.nickname ?? '', avatarUrl: me.avatar_url ?? '' });
      } catch (err) {
        this.setData({ error: `加载资料失败：${messageOf(err)}` });
      }
    },

    async onChooseAvatar(event: WechatMiniprogram.CustomEvent<{ avatarUrl: string }>): Promise<void> {
      const tempPath = event.detail.avatarUrl;
      if (!tempPath || this.data.busy || !this.data.userId) return;
      this.setData({ busy: true, notice: '', error: '', avatarUrl: tempPath });
      try {
        const services = servicesFor(wx);
        const user = await uploadAvatar(tempPath, this.data.userId, { wx, familyApi: services.familyApi, nativeDigest: services.nativeDigest });
        this.setData({ busy: false, avatarUrl: user.avatar_url ?? tempPath, notice: '头像已更新' });
      } catch (err) {
        this.setData({ busy: false, error: `头像上传失败：${messageOf(err)}` });
      }
    },

    async saveNickname(event: WechatMiniprogram.FormSubmit<{ nickname?: string }>): Promise<void> {
      const nickname = String(event.detail.value.nickname ?? '').trim();
      if (this.data.busy) return;
      if (!nickname) {
        this.setData({ error: '请填写昵称' });
        return;
      }
      this.setData({ busy: true, notice: '', error: '' });
      try {
        const user = await servicesFor(wx).familyApi.updateMe({ nickname });
        this.setData({ busy: false, nickname: user.nickname ?? '', notice: '昵称已保存' });
      } catch (err) {
        this.setData({ busy: false, error: `保存昵称失败：${messageOf(err)}` });
      }
    },
  },
});
