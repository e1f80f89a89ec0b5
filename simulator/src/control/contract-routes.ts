import { readFile } from 'node:fs/promises';
import { SimError } from '../domain/errors';
import type { Engine } from '../engine';
import { jsonResponse } from '../transport/json';
import type { Route, SimRequest, SimResponse } from '../transport/types';
import { openApiFor, publishedSurfaces } from './published-contracts';

const SCALAR_BUNDLE = '@scalar/api-reference/browser/standalone.js';

function surfaceOf(request: SimRequest, suffix = ''): string {
  const name = (request.params.surface ?? '').replace(new RegExp(`${suffix.replace('.', '\\.')}$`), '');
  if (!publishedSurfaces.includes(name)) {
    throw new SimError('not-found', `No contract for "${name}"; published surfaces: ${publishedSurfaces.join(', ')}.`, {
      field: 'surface',
    });
  }
  return name;
}

/**
 * The published contracts: OpenAPI 3.1 per surface, and a browsable reference of each rendered by
 * Scalar's standalone bundle, served from the installed package (no CDN).
 */
export function contractRoutes(engine: Engine): Route[] {
  let bundle: Promise<Buffer> | undefined;
  return [
    {
      method: 'GET',
      path: '/__sim/openapi',
      handler: () =>
        jsonResponse(200, {
          surfaces: publishedSurfaces.map((name) => ({
            name,
            openapi: `/__sim/openapi/${name}.json`,
            docs: `/__sim/docs/${name}`,
          })),
        }),
    },
    {
      method: 'GET',
      path: '/__sim/openapi/:surface',
      handler: (request) => jsonResponse(200, openApiFor(surfaceOf(request, '.json'), engine.version)),
    },
    {
      method: 'GET',
      path: '/__sim/docs/assets/scalar.js',
      handler: async (): Promise<SimResponse> => {
        bundle ??= readFile(require.resolve(SCALAR_BUNDLE));
        return {
          status: 200,
          headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
          body: await bundle,
        };
      },
    },
    {
      method: 'GET',
      path: '/__sim/docs/:surface',
      handler: (request) => {
        const surface = surfaceOf(request);
        return {
          status: 200,
          headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
          body: scalarPage(surface),
        };
      },
    },
  ];
}

/** Scalar's documented embedding: a script element naming the document, then the bundle. */
function scalarPage(surface: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>gpsim ${surface} API</title>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>',
    '<body>',
    // Default fonts would come from Scalar's CDN; gpsim serves everything itself.
    `<script id="api-reference" data-url="/__sim/openapi/${surface}.json" data-configuration='{"withDefaultFonts":false}'></script>`,
    '<script src="/__sim/docs/assets/scalar.js"></script>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
