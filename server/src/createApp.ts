import express from 'express';
import { errorHandler } from './http/errorHandler';
import { methodOverride } from './http/methodOverride';
import { notFoundRoute } from './http/notFoundRoute';
import { requestLogging } from './http/requestLogging';
import { requireSession } from './http/requireSession';
import { albumRenameRoutes } from './routes/albumRename';
import { albumRoutes } from './routes/albums';
import type { AppDeps } from './routes/AppDeps';
import { createSessionLookup } from './sessionLookup';
import { authRoutes } from './routes/auth';
import { familyRoutes } from './routes/families';
import { healthRoutes } from './routes/health';
import { multipartUploadRoutes } from './routes/multipartUploads';
import { inviteRoutes } from './routes/invites';
import { meRoutes } from './routes/me';
import { memberRoutes } from './routes/members';
import { photoDeleteRoutes } from './routes/photoDelete';
import { photoRoutes } from './routes/photos';
import { signatureRoutes } from './routes/signature';

export type { AppDeps } from './routes/AppDeps';

/** Largest JSON body: 1,000 hashes or 100 photo items fit with room to spare. */
const JSON_LIMIT = '256kb';

/** The API as an Express app, built from what it is given; `listen` is the caller's. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  const sessions = createSessionLookup(deps.store, deps.now);
  app.disable('x-powered-by');
  // Answers are per-user and marked no-store where it matters; hashing every body for an ETag buys nothing.
  app.set('etag', false);
  app.set('trust proxy', deps.config.trustProxy);
  app.set('query parser', 'simple');
  // Request ids: a random prefix per app and a counter. Unique across instances without drawing
  // random bytes on every request (the hot route spent more on those than on its own logic).
  const requestIdPrefix = deps.randomBytes(6).toString('hex');
  let requestCount = 0;
  app.use(requestLogging(deps.logger, () => `${requestIdPrefix}-${(requestCount++).toString(36)}`));
  // The hot route first, with its own session check: a GET with no body need not pass the JSON
  // parser or the health and auth routers (each router walked costs the signature route ~2%).
  app.use(signatureRoutes(deps, requireSession(sessions.find)));
  app.use(express.json({ limit: JSON_LIMIT, strict: true }));
  app.use(methodOverride);

  app.use(healthRoutes(deps));
  app.use(authRoutes(deps, sessions));
  app.use(requireSession(sessions.find));
  app.use(familyRoutes(deps));
  app.use(photoRoutes(deps));
  app.use(albumRoutes(deps));
  app.use(multipartUploadRoutes(deps));
  app.use(memberRoutes(deps));
  app.use(inviteRoutes(deps));
  app.use(meRoutes(deps));
  app.use(albumRenameRoutes(deps));
  app.use(photoDeleteRoutes(deps));
  app.use(notFoundRoute);
  app.use(errorHandler);
  return app;
}
