/** `wx.showModal` as promises, for the pages' confirmations and one-line prompts. */
type ShowModal = Pick<WechatMiniprogram.Wx, 'showModal'>;

/** True only when the user tapped the confirm button. */
export function confirmModal(wx: ShowModal, options: { title: string; content: string; confirmText?: string; danger?: boolean }): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title: options.title,
      content: options.content,
      confirmText: options.confirmText ?? '确定',
      ...(options.danger ? { confirmColor: '#e34d59' } : {}),
      success: (res) => resolve(res.confirm),
      fail: () => resolve(false),
    });
  });
}

/**
 * A line of text from an editable modal (base library 2.17.1+), trimmed; undefined when cancelled
 * or left empty. https://developers.weixin.qq.com/miniprogram/dev/api/ui/interaction/wx.showModal.html
 */
export function promptText(wx: ShowModal, options: { title: string; value?: string; placeholder?: string }): Promise<string | undefined> {
  return new Promise((resolve) => {
    wx.showModal({
      title: options.title,
      editable: true,
      content: options.value ?? '',
      placeholderText: options.placeholder ?? '',
      success: (res) => {
        const text = (res.content ?? '').trim();
        resolve(res.confirm && text ? text : undefined);
      },
      fail: () => resolve(undefined),
    });
  });
}
