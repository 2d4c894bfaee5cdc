import { createServices, type AppServices } from './utils/services';

App<{ globalData: Partial<AppServices> }>({
  globalData: {},

  onLaunch() {
    const services = createServices(wx);
    Object.assign(this.globalData, services);
    // Log in before the first page asks for anything; a failure here is not final, since the
    // API client logs in again on its first call (and on any 401).
    if (!services.session.token()) {
      services.session.relogin().catch((err: unknown) => console.warn('silent login failed', err));
    }
  },
});
