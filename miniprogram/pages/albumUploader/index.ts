/**
 * The album uploader: pick photos and videos, send them straight to OSS, show the album.
 * Thin by design: events → utils → `setData`; what to show is computed in `viewModel.ts`.
 * Declared with `Component()` so miniprogram-simulate can render it; page lifecycles live in
 * `methods`, as WeChat expects for a page built from a component.
 */
import { LIMITS } from '@family-album/contract';
import type { AlbumView, FamilyView } from '../../../typings/api';
import { createCancelToken } from '../../utils/cancelToken';
import { listRecords } from '../../utils/multipartState';
import { abandonUpload } from '../../utils/multipartUpload';
import { createNetworkWaiter } from '../../utils/networkWaiter';
import { fromChooseMedia, fromChooseMessageFile, type FilterOptions, type FilterResult } from '../../utils/fileFilter';
import type { CancelToken, SelectedFile } from '../../utils/types';
import { uploadFilesToOSS } from '../../utils/uploadFilesToOSS';
import { familyUrl } from '../../utils/pageUrls';
import { servicesFor, type AppServices } from '../../utils/services';
import {
  appendPhotos,
  counts,
  defaultAlbumIndex,
  isFailed,
  isPending,
  newItem,
  progressPatch,
  restartPatch,
  unfinishedItems,
  resultPatch,
  summaryText,
  type DataPatch,
  type FileItem,
  type PhotoItem,
  type RejectedItem,
  type Summary,
  type UnfinishedItem,
} from './viewModel';

const PICK_COUNT = 20;
/** Camera videos stop here (chooseMedia's default is 10 s; 60 s is its documented maximum). */
const CAMERA_MAX_DURATION_SEC = 60;
const PHOTO_PAGE_SIZE = 30;
const NEW_FAMILY_NAME = '我的家庭';

/** What the page keeps beside `data`: values the view never shows. */
interface Runtime {
  services: AppServices;
  /** The picked files, parallel to `data.items`; hashes are kept once computed, so a retry skips hashing. */
  files: SelectedFile[];
  /** What the view shows now, to diff progress against. */
  items: FileItem[];
  photos: PhotoItem[];
  families: FamilyView[];
  albums: AlbumView[];
  cancel: CancelToken | undefined;
  nextKey: number;
  /** Bumped when the album changes, so a page of the old album that arrives late is dropped. */
  photoGeneration: number;
  /** Parts of a large file wait on this after a network loss or a trip to the background; undefined where wx has no such events. */
  waitForNetwork: (() => Promise<void>) | undefined;
}

const runtimes = new WeakMap<object, Runtime>();

function runtimeOf(page: object): Runtime {
  let runtime = runtimes.get(page);
  if (!runtime) {
    runtime = { services: servicesFor(wx), files: [], items: [], photos: [], families: [], albums: [], cancel: undefined, nextKey: 0, photoGeneration: 0, waitForNetwork: networkWaiterFor(wx) };
    runtimes.set(page, runtime);
  }
  return runtime;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
const isUserCancel = (err: unknown) => /cancel/i.test(String((err as { errMsg?: unknown } | undefined)?.errMsg ?? ''));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const every = (ms: number, fn: () => void) => {
  const id = setInterval(fn, ms);
  return () => clearInterval(id);
};

/**
 * One waiter per app run, made on first use: its listeners stay with `wx` for the run, so each page
 * opened does not add its own. Where the client cannot report these events, a part that lost the
 * network fails after its retries, as a photo does.
 */
let networkWaiter: { wait: (() => Promise<void>) | undefined } | undefined;
function networkWaiterFor(api: WechatMiniprogram.Wx): (() => Promise<void>) | undefined {
  if (!networkWaiter) {
    try {
      networkWaiter = { wait: createNetworkWaiter({ onNetworkStatusChange: (l) => api.onNetworkStatusChange(l), onAppShow: (l) => api.onAppShow(() => l()) }, { sleep }) };
    } catch {
      networkWaiter = { wait: undefined };
    }
  }
  return networkWaiter.wait;
}

Component({
  data: {
    familyNames: [] as string[],
    familyIndex: 0,
    familyId: 0,
    albumNames: [] as string[],
    albumIndex: 0,
    albumId: 0,
    items: [] as FileItem[],
    rejected: [] as RejectedItem[],
    pendingCount: 0,
    failedCount: 0,
    totalPercent: 0,
    uploading: false,
    summary: null as Summary | null,
    summaryText: '',
    photos: [] as PhotoItem[],
    nextCursor: null as string | null,
    loadingPhotos: false,
    error: '',
    /** Large uploads left unfinished by an earlier run (未完成的上传): choosing the same file again resumes it. */
    unfinished: [] as UnfinishedItem[],
  },

  methods: {
    /**
     * Resolves when the family, album and first page of photos are shown (tests await it).
     * `familyId` in the query (the join page sends it) opens that family when the caller is in it.
     */
    onLoad(query: { familyId?: string } = {}): Promise<void> {
      this.showUnfinished();
      return this.loadFamilies(Number(query.familyId) || 0).catch((err: unknown) => this.showError('加载家庭失败', err));
    },

    /** Lists what storage remembers of large uploads left unfinished (a temp file does not survive a restart). */
    showUnfinished() {
      this.setData({ unfinished: unfinishedItems(listRecords(wx, Date.now())) });
    },

    /** 放弃: aborts the upload in OSS and forgets it. */
    async abandonUnfinished(event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { hash: string }>) {
      const hash = String(event.currentTarget.dataset.hash ?? '');
      const record = listRecords(wx, Date.now()).find((r) => r.hash === hash);
      if (!record || this.data.uploading) return;
      await abandonUpload(record, { wx, requestAPI: runtimeOf(this).services.requestAPI });
      this.showUnfinished();
    },

    onUnload() {
      // Leaving is not 取消: a large video's unfinished upload stays, listed under 未完成的上传 next time.
      runtimeOf(this).cancel?.cancel({ keepResumable: true });
    },

    onReachBottom() {
      return this.loadMore();
    },

    async loadFamilies(preferredFamilyId = 0) {
      const runtime = runtimeOf(this);
      const families = await runtime.services.albumApi.familiesOrFirst(NEW_FAMILY_NAME);
      runtime.families = families;
      const familyIndex = Math.max(0, families.findIndex((f) => f.id === preferredFamilyId));
      this.setData({ familyNames: families.map((f) => f.name), familyIndex, familyId: families[familyIndex].id });
      await this.loadAlbums();
    },

    async loadAlbums() {
      const runtime = runtimeOf(this);
      const familyId = this.data.familyId;
      const albums = await runtime.services.albumApi.albumsOrDefault(familyId);
      if (familyId !== this.data.familyId) return; // the user switched family meanwhile
      runtime.albums = albums;
      const albumIndex = defaultAlbumIndex(albums);
      this.setData({ albumNames: albums.map((a) => a.name), albumIndex, albumId: albums[albumIndex].id });
      await this.reloadPhotos();
    },

    onFamilyChange(event: WechatMiniprogram.PickerChange) {
      const runtime = runtimeOf(this);
      const family = runtime.families[Number(event.detail.value)];
      if (!family || this.data.uploading || family.id === this.data.familyId) return Promise.resolve();
      this.setData({ familyIndex: Number(event.detail.value), familyId: family.id, albumNames: [], albumId: 0 });
      return this.loadAlbums().catch((err: unknown) => this.showError('加载相册失败', err));
    },

    onAlbumChange(event: WechatMiniprogram.PickerChange) {
      const album = runtimeOf(this).albums[Number(event.detail.value)];
      if (!album || this.data.uploading || album.id === this.data.albumId) return Promise.resolve();
      this.setData({ albumIndex: Number(event.detail.value), albumId: album.id });
      return this.reloadPhotos();
    },

    chooseMedia() {
      if (this.data.uploading) return;
      wx.chooseMedia({
        count: PICK_COUNT,
        mediaType: ['image', 'video'],
        sourceType: ['album', 'camera'],
        // Original quality: a compressed copy is re-encoded each time, so its hash (and 秒传) would not hold.
        sizeType: ['original'],
        maxDuration: CAMERA_MAX_DURATION_SEC,
        success: (result) => {
          const thumbs = new Map(result.tempFiles.map((f) => [f.tempFilePath, f.fileType === 'video' ? f.thumbTempFilePath : f.tempFilePath]));
          this.addPicked(fromChooseMedia(result, this.filterOptions()), thumbs);
        },
        fail: (err) => this.pickFailed(err),
      });
    },

    chooseChat() {
      if (this.data.uploading) return;
      wx.chooseMessageFile({
        count: PICK_COUNT,
        type: 'all',
        success: (result) => {
          const thumbs = new Map(result.tempFiles.filter((f) => f.type === 'image').map((f) => [f.path, f.path]));
          this.addPicked(fromChooseMessageFile(result, this.filterOptions()), thumbs);
        },
        fail: (err) => this.pickFailed(err),
      });
    },

    filterOptions(): FilterOptions {
      // The server's default MAX_FILE_SIZE, to refuse what is surely too big at once; the POST policy enforces the real limit.
      return { maxSizeBytes: LIMITS.defaultMaxFileSizeBytes, now: () => Date.now(), existing: runtimeOf(this).files };
    },

    addPicked(picked: FilterResult, thumbs: ReadonlyMap<string, string>) {
      const runtime = runtimeOf(this);
      const rejected: RejectedItem[] = picked.rejected.map((r) => ({ ...r, key: `r${++runtime.nextKey}` }));
      const patch: DataPatch = { rejected, error: '' };
      for (const file of picked.accepted) {
        const item = newItem(file, `f${++runtime.nextKey}`, thumbs.get(file.path) ?? '');
        patch[`items[${runtime.items.length}]`] = item;
        runtime.files.push(file);
        runtime.items.push(item);
      }
      this.setData({ ...patch, ...counts(runtime.items) });
    },

    pickFailed(err: unknown) {
      if (isUserCancel(err)) return;
      this.showError('选择文件失败', (err as { errMsg?: string }).errMsg ?? err);
    },

    startUpload() {
      return this.runBatch(runtimeOf(this).items.flatMap((item, index) => (isPending(item) ? [index] : [])));
    },

    retryFailed() {
      return this.runBatch(runtimeOf(this).items.flatMap((item, index) => (isFailed(item) ? [index] : [])));
    },

    cancelUpload() {
      runtimeOf(this).cancel?.cancel();
    },

    /** Uploads the list items at `indices` as one batch; never rejects. */
    async runBatch(indices: number[]) {
      const runtime = runtimeOf(this);
      const { familyId, albumId } = this.data;
      // `disabled` on the button is not enough: taps can queue before the view updates.
      if (this.data.uploading || indices.length === 0 || !familyId || !albumId) return;
      const cancel = createCancelToken();
      runtime.cancel = cancel;
      this.setData({ ...restartPatch(runtime.items, indices), ...counts(runtime.items), uploading: true, summary: null, summaryText: '', totalPercent: 0, error: '' });

      const files = indices.map((i) => runtime.files[i]);
      let patch: DataPatch;
      let summary: Summary;
      try {
        const results = await uploadFilesToOSS(
          files,
          {
            familyId,
            albumId,
            cancel,
            // The uploader already throttles these; only the fields that moved reach setData.
            onProgress: (progress) => {
              const changed = progressPatch(runtime.items, indices, progress, this.data.totalPercent);
              if (Object.keys(changed).length > 0) this.setData(changed);
            },
          },
          {
            wx,
            requestAPI: runtime.services.requestAPI,
            nativeDigest: runtime.services.nativeDigest,
            now: () => Date.now(),
            random: Math.random,
            sleep,
            waitForNetwork: runtime.waitForNetwork,
            every,
          },
        );
        results.forEach((result, j) => {
          if (result.file.path === runtime.files[indices[j]].path) runtime.files[indices[j]] = result.file;
        });
        ({ patch, summary } = resultPatch(runtime.items, indices, results));
      } catch (err) {
        // The uploader reports failures per file; this is a bug or a broken contract, shown as such.
        const reason = messageOf(err);
        ({ patch, summary } = resultPatch(runtime.items, indices, files.map((file) => ({ status: 'failed' as const, file, code: 'internal', reason }))));
      }
      runtime.cancel = undefined;
      this.setData({ ...patch, ...counts(runtime.items), uploading: false, summary, summaryText: summaryText(summary) });
      this.showUnfinished();
      if (summary.uploaded + summary.instant > 0) await this.reloadPhotos();
    },

    /** Shows the album from its newest photo. */
    reloadPhotos() {
      const runtime = runtimeOf(this);
      runtime.photoGeneration += 1;
      runtime.photos = [];
      this.setData({ photos: [], nextCursor: null, loadingPhotos: false });
      return this.fetchPhotos(undefined);
    },

    loadMore() {
      if (!this.data.nextCursor || this.data.loadingPhotos) return Promise.resolve();
      return this.fetchPhotos(this.data.nextCursor);
    },

    async fetchPhotos(cursor: string | undefined) {
      const runtime = runtimeOf(this);
      const generation = runtime.photoGeneration;
      const albumId = this.data.albumId;
      if (!albumId) return;
      this.setData({ loadingPhotos: true });
      try {
        const page = await runtime.services.albumApi.listPhotos(albumId, { cursor, limit: PHOTO_PAGE_SIZE });
        if (generation !== runtime.photoGeneration) return;
        const shown = runtime.photos.length;
        runtime.photos = appendPhotos(runtime.photos, page.photos);
        const patch: DataPatch = { nextCursor: page.next_cursor, loadingPhotos: false };
        runtime.photos.slice(shown).forEach((photo, k) => {
          patch[`photos[${shown + k}]`] = photo;
        });
        this.setData(patch);
      } catch (err) {
        if (generation !== runtime.photoGeneration) return;
        this.setData({ loadingPhotos: false });
        this.showError('加载照片失败', err);
      }
    },

    previewPhoto(event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { index: number }>) {
      const photos = runtimeOf(this).photos;
      wx.previewMedia({
        sources: photos.map((p) => ({ url: p.url, type: p.file_type === 'video' ? ('video' as const) : ('image' as const) })),
        current: Number(event.currentTarget.dataset.index) || 0,
      });
    },

    openFamily() {
      if (this.data.familyId) wx.navigateTo({ url: familyUrl(this.data.familyId) });
    },

    showError(what: string, err: unknown) {
      console.warn(what, err);
      this.setData({ error: `${what}：${messageOf(err)}` });
    },
  },
});
