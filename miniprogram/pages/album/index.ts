/**
 * One album as the family sees it: who uploaded each photo, tap to view (`wx.previewMedia` over the
 * loaded photos and videos), long-press to delete one's own (the owner: any) after a confirmation.
 */
import { confirmModal } from '../../utils/modal';
import { servicesFor } from '../../utils/services';
import { albumItems, previewSources, type AlbumItem } from './viewModel';

const PAGE_SIZE = 30;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

Component({
  data: {
    familyId: 0,
    albumId: 0,
    albumName: '',
    meId: 0,
    isOwner: false,
    items: [] as AlbumItem[],
    nextCursor: null as string | null,
    loading: false,
    error: '',
  },

  methods: {
    /** Resolves when the first page is shown (tests await it). */
    async onLoad(query: Record<string, string | undefined> = {}): Promise<void> {
      const familyId = Number(query.familyId) || 0;
      const albumId = Number(query.albumId) || 0;
      this.setData({ familyId, albumId });
      const { albumApi, familyApi } = servicesFor(wx);
      try {
        const [families, albums, me] = await Promise.all([albumApi.listFamilies(), albumApi.listAlbums(familyId), familyApi.me()]);
        const album = albums.find((a) => a.id === albumId);
        this.setData({ meId: me.id, isOwner: families.find((f) => f.id === familyId)?.role === 'owner', albumName: album?.name ?? '' });
        if (album) wx.setNavigationBarTitle({ title: album.name });
        await this.loadMore();
      } catch (err) {
        this.setData({ error: `加载相册失败：${messageOf(err)}` });
      }
    },

    onReachBottom() {
      return this.loadMore();
    },

    async loadMore(): Promise<void> {
      if (this.data.loading) return;
      const cursor = this.data.nextCursor ?? undefined;
      if (this.data.items.length > 0 && !cursor) return;
      this.setData({ loading: true });
      try {
        const page = await servicesFor(wx).albumApi.listPhotos(this.data.albumId, { cursor, limit: PAGE_SIZE });
        const known = new Set(this.data.items.map((i) => i.id));
        const fresh = albumItems(page.photos, this.data.meId, this.data.isOwner).filter((i) => !known.has(i.id));
        this.setData({ items: [...this.data.items, ...fresh], nextCursor: page.next_cursor, loading: false, error: '' });
      } catch (err) {
        this.setData({ loading: false, error: `加载照片失败：${messageOf(err)}` });
      }
    },

    preview(event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { index: number }>) {
      wx.previewMedia({ sources: previewSources(this.data.items), current: Number(event.currentTarget.dataset.index) || 0 });
    },

    async deletePhoto(event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { index: number }>): Promise<void> {
      const item = this.data.items[Number(event.currentTarget.dataset.index)];
      if (!item) return;
      if (!item.deletable) {
        this.setData({ error: '只能删除自己上传的照片' });
        return;
      }
      const ok = await confirmModal(wx, { title: '删除照片', content: item.isVideo ? '确定删除这个视频吗？删除后家人也看不到了。' : '确定删除这张照片吗？删除后家人也看不到了。', confirmText: '删除', danger: true });
      if (!ok) return;
      try {
        await servicesFor(wx).familyApi.deletePhoto(item.id);
        this.setData({ items: this.data.items.filter((i) => i.id !== item.id), error: '' });
      } catch (err) {
        this.setData({ error: `删除失败：${messageOf(err)}` });
      }
    },
  },
});
