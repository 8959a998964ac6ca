/**
 * Serves the workbench (the built web app in web/dist) at `/`: hashed assets as immutable files, and
 * index.html for every page a person navigates to (the app's router then shows the page, or its own
 * "not found"). Requests that are no browser navigation keep the API's problem+json 404, and the
 * API, health, readiness and metrics paths are never answered with the page.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { sendProblem } from '../problem';

export const WEB_DIST = path.resolve(__dirname, '..', '..', 'web', 'dist');
const BUILD_HINT = 'the web app is not built: run `npm run build:web`';

/** Paths the page never answers, whatever the Accept header says. */
const NOT_PAGES = /^\/(api|healthz|readyz|metrics)(\/|$)/;

/** Stops start-up when the build is missing, naming the command that makes it. */
export function requireWebBuild(dist = WEB_DIST): void {
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error(`${BUILD_HINT} (looked in ${dist})`);
}

export function webPages(app: express.Express, dist = WEB_DIST): void {
  // The old leadership dashboard's address: its work is the escalations page now.
  app.get(['/dashboard', '/dashboard/'], (_req: Request, res: Response) => res.redirect(301, '/escalations'));
  app.use(
    '/assets',
    express.static(path.join(dist, 'assets'), {
      index: false,
      redirect: false,
      // File names carry a content hash: a changed file is a new name.
      setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  let index: Buffer | undefined;
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (NOT_PAGES.test(req.path) || req.path.startsWith('/assets/')) return next();
    if (!(req.get('accept') ?? '').includes('text/html')) return next();
    if (!index) {
      try {
        index = fs.readFileSync(path.join(dist, 'index.html'));
      } catch {
        return sendProblem(res, 503, 'service-unavailable', BUILD_HINT);
      }
    }
    // Always revalidated: it names the current hashed assets.
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(index);
  });
}
