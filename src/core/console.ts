import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The operator console as `npm run build` leaves it (scripts/build.mjs): `dist/console/index.html`
 * and its content-hashed `assets/`. Found from the package root, one level above this module's
 * folder, so the sources (src/core) and the build (dist/core) serve the same files.
 */
export const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'console');

/** Paths of the server itself: an unknown one is a 404, never the console's page. */
const SERVER_PATHS = ['/api', '/admin', '/docs', '/openapi.json', '/health', '/assets'];

function isServerPath(pathname: string): boolean {
  return SERVER_PATHS.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

const NOT_BUILT = 'the operator console is not built: run npm run build';

/**
 * Serves the console: its page at `/` and at every other GET of a path outside the server's own
 * (the console's routes live in the browser, so a reload of /lots must answer the page), and the
 * hashed assets under /assets/. The page is revalidated on every load, so a new build is picked
 * up at once; the assets are cached for a year, since a changed file gets a new name.
 */
export async function registerConsole(app: FastifyInstance, dir: string = CONSOLE_DIR): Promise<void> {
  const indexFile = path.join(dir, 'index.html');
  const page = fs.existsSync(indexFile) ? fs.readFileSync(indexFile) : undefined;
  const assets = path.join(dir, 'assets');
  if (fs.existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      // @fastify/swagger-ui registers its own instance, which decorates the reply.
      decorateReply: false,
      index: false,
      cacheControl: true,
      maxAge: '365d',
      immutable: true,
      // every asset name carries its content hash: there is no directory to list or redirect to
      redirect: false,
    });
  }

  const sendPage = (reply: FastifyReply) => {
    if (page === undefined) return reply.status(503).header('cache-control', 'no-store').send({ error: NOT_BUILT });
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  };
  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendPage(reply));
  // The integration API under /api has its own not-found answer (its envelope); this one serves
  // the rest of the server.
  app.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.replace(/\?.*$/s, '');
    if ((request.method === 'GET' || request.method === 'HEAD') && !isServerPath(pathname)) return sendPage(reply);
    return reply.status(404).send({ error: `no route serves ${request.method} ${pathname}` });
  });
}
