import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { renderControlError } from '../control/control-surface';
import type { Route, SimRequest, SimResponse, Surface } from '../transport/types';

/** Where the page sources (HTML, CSS) and the compiled browser modules live, from src or dist alike. */
const staticDir = resolve(__dirname, '..', '..', 'web', 'static');
const scriptDir = resolve(__dirname, '..', '..', 'dist', 'web');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** No inline script or style, nothing from another origin: the console works offline and resists injection. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

function load(dir: string, names: readonly string[]): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of names) {
    const type = contentTypes[extname(name)];
    if (type === undefined) continue;
    const body = readFileSync(join(dir, name));
    files.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
  }
  return files;
}

function listing(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => !name.endsWith('.d.ts') && !name.endsWith('.map'));
  } catch {
    return [];
  }
}

/**
 * The web console at `/` and the sample partner app at `/__sim/sample-app/`: static files only,
 * read once at start. Everything they show comes from the control API.
 */
export function createConsoleSurface(): Surface {
  const files = new Map([...load(staticDir, listing(staticDir)), ...load(scriptDir, listing(scriptDir))]);
  const serve =
    (name: string) =>
    (request: SimRequest): SimResponse => {
      const file = files.get(name);
      if (!file) {
        return {
          status: 503,
          headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
          body: `The console is not built: run "npm run build" (missing ${name}).`,
        };
      }
      const headers = {
        'Content-Type': file.type,
        // Revalidate every time: file names carry no hash, and a rebuilt gpsim must not show stale pages.
        'Cache-Control': 'no-cache',
        ETag: file.etag,
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      };
      if (request.headers['if-none-match'] === file.etag) return { status: 304, headers };
      return { status: 200, headers, body: file.body };
    };
  const routes: Route[] = [
    { method: ['GET', 'HEAD'], path: '/', handler: serve('index.html') },
    { method: ['GET', 'HEAD'], path: '/__sim/sample-app/', handler: serve('sample-app.html') },
  ];
  for (const name of files.keys()) {
    if (name.endsWith('.html')) continue;
    routes.push({ method: ['GET', 'HEAD'], path: `/console/${name}`, handler: serve(name) });
  }
  return {
    name: 'console',
    prefixes: [/^\/$/, '/console', '/__sim/sample-app'],
    routes,
    renderError: renderControlError,
  };
}
