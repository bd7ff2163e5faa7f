import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { CONSOLE_DIR } from '../../src/core/console.js';
import { ADMIN_TOKEN, freshDatabase, startTestApp, type TestApp } from '../helpers/app.js';

// The run builds dist/console first (test/helpers/global-setup.ts); the server serves that build.
describe('the server serves the operator console', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite');
  });
  afterAll(() => t.close());

  const get = (url: string, method: 'GET' | 'HEAD' | 'POST' = 'GET') => t.app.inject({ method, url });
  const page = fs.readFileSync(path.join(CONSOLE_DIR, 'index.html'), 'utf8');

  it('answers its page at / to be revalidated on every load, loading hashed assets', async () => {
    const answer = await get('/');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-cache');
    expect(answer.body).toBe(page);
    expect(answer.body).toMatch(/<script type="module" src="\/assets\/console-[A-Z0-9]+\.js"><\/script>/);
  });

  it('serves the assets the page names for a year, as immutable', async () => {
    const assets = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBe(2);
    for (const asset of assets) {
      const answer = await get(asset);
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(answer.body.length).toBeGreaterThan(1000);
    }
    expect((await get('/assets/console-NOSUCHFILE.js')).statusCode).toBe(404);
  });

  it("answers the page for the console's own routes, reloaded or opened from a link", async () => {
    for (const url of ['/lots', '/plate-lookup?plate=ABC123', '/integrations', '/some/deep/route']) {
      const answer = await get(url);
      expect([url, answer.statusCode, answer.headers['cache-control'], answer.body]).toEqual([url, 200, 'no-cache', page]);
    }
    expect((await get('/lots', 'HEAD')).statusCode).toBe(200);
  });

  it("never answers the page for the server's own paths", async () => {
    const adminUnknown = await get('/admin/v1/nothing-here');
    expect([adminUnknown.statusCode, adminUnknown.json()]).toEqual([404, { error: 'no route serves GET /admin/v1/nothing-here' }]);
    const apiUnknown = await get('/api/OC_TOMA/v1/nothing-here');
    expect(apiUnknown.statusCode).toBe(404);
    expect(apiUnknown.json().ErrorCode).toBe(9003);
    for (const url of ['/admin', '/healthz-not', '/health/nope', '/docs/nope', '/openapi.json/x']) {
      const answer = await get(url);
      if (url === '/healthz-not') expect(answer.body).toBe(page);
      else expect([url, answer.statusCode, answer.headers['content-type']]).toEqual([url, 404, 'application/json; charset=utf-8']);
    }
    expect((await get('/lots', 'POST')).statusCode).toBe(404);
    expect((await get('/health')).json()).toEqual({ status: 'ok' });
    expect((await get('/openapi.json')).json().openapi).toBe('3.1.0');
    expect((await get('/docs/')).statusCode).toBe(200);
  });
});

describe('a server whose console is not built', () => {
  it('says how to build it, and serves everything else', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-console-'));
    const database = await freshDatabase('pglite');
    const app = await buildApp({ database, adminToken: ADMIN_TOKEN, logLevel: 'silent', consoleDir: empty });
    try {
      const answer = await app.inject({ method: 'GET', url: '/lots' });
      expect([answer.statusCode, answer.json()]).toEqual([503, { error: 'the operator console is not built: run npm run build' }]);
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await database.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
