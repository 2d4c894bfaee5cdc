/**
 * Where the Mini Program reaches the API. `npm start` serves it on 127.0.0.1:3000 (WeChat
 * DevTools with urlCheck off); a phone preview needs the machine's LAN address, and a release
 * the HTTPS domain registered in the Mini Program's console.
 */
export const API_BASE_URL = 'http://127.0.0.1:3000';
