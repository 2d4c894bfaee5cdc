export { createWechatEmulator, DEFAULT_DEVELOPER_OPENID, type WechatEmulator, type WechatEmulatorOptions } from './createWechatEmulator';
export { DEVTOOLS_TOURIST_CODE, type Code2SessionAnswer } from './code2Session';
