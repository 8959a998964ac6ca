/**
 * The leadership web page, served by the API itself at /dashboard (the workbench at / replaces it once
 * it has the leader's pages): static
 * HTML, CSS and JS from the same origin (helmet's CSP forbids inline scripts), plus the slice of the
 * message catalogue the page needs, so the page speaks the same zh-CN / en as the rest of the system.
 * The page holds no data of its own: it signs in with a bearer token and calls the public API.
 */
import fs from 'node:fs';
import path from 'node:path';
import type express from 'express';
import type { AppContext } from '../../src/context';
import { messages } from '../../src/i18n';
import { LOCALES } from '../../src/domain/enums';

const PREFIXES = ['dashboard.', 'level.', 'task.', 'grade.', 'stage.', 'role.', 'campaignPhase.'];

function staticDir(): string {
  const candidates = [path.join(__dirname, 'static'), path.resolve(process.cwd(), 'api', 'pages', 'static')];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'index.html')));
  if (!found) throw new Error(`dashboard assets not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Only the keys the page uses, without notification subjects and bodies. */
export function dashboardMessages(): Record<string, Record<string, string>> {
  return Object.fromEntries(
    LOCALES.map((l) => [
      l,
      Object.fromEntries(
        Object.entries(messages[l]).filter(
          ([k]) => PREFIXES.some((p) => k.startsWith(p)) && !k.endsWith('.subject') && !k.endsWith('.body'),
        ),
      ),
    ]),
  );
}

export function dashboardPages(app: express.Express, _ctx: AppContext): void {
  const dir = staticDir();
  const files: Record<string, { type: string; body: Buffer }> = {
    '/dashboard': { type: 'text/html; charset=utf-8', body: fs.readFileSync(path.join(dir, 'index.html')) },
    '/dashboard/dashboard.js': {
      type: 'text/javascript; charset=utf-8',
      body: fs.readFileSync(path.join(dir, 'dashboard.js')),
    },
    '/dashboard/dashboard.css': {
      type: 'text/css; charset=utf-8',
      body: fs.readFileSync(path.join(dir, 'dashboard.css')),
    },
    '/dashboard/messages.json': {
      type: 'application/json; charset=utf-8',
      body: Buffer.from(JSON.stringify(dashboardMessages())),
    },
  };
  for (const [route, f] of Object.entries(files)) {
    app.get(route, (_req, res) => {
      res.setHeader('Content-Type', f.type);
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.send(f.body);
    });
  }
}
