import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createParkingClient } from '../../packages/client/index.js';
import { CLIENT_SCHEMA_FILE, generateClientSchema } from '../../scripts/generate-client.js';

describe('the typed client', () => {
  it('is generated from the OpenAPI document the server serves: the committed schema.d.ts is current (npm run generate:client)', async () => {
    const fresh = await generateClientSchema();
    expect(fresh).toContain("'/admin/v1/clients/{code}/lots'");
    expect(fs.readFileSync(CLIENT_SCHEMA_FILE, 'utf8')).toBe(fresh);
  }, 60_000);

  /** A client whose requests are recorded instead of sent. */
  function recordingClient(options: { csrfToken?: () => string | undefined; bearerToken?: string }) {
    const sent: Request[] = [];
    const client = createParkingClient({
      baseUrl: 'http://127.0.0.1:9',
      ...options,
      fetch: async (input) => {
        if (!(input instanceof Request)) throw new Error('openapi-fetch is expected to pass a Request');
        sent.push(input);
        return new Response(JSON.stringify({ items: [], next_cursor: null }), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    return { client, sent };
  }

  it('sends the session CSRF token with requests that change state, never with reads, and cookies to the same origin only', async () => {
    let token: string | undefined = 'csrf-1';
    const { client, sent } = recordingClient({ csrfToken: () => token });
    await client.GET('/admin/v1/clients/{code}/lots', { params: { path: { code: 'OC_TOMA' } } });
    await client.POST('/admin/v1/clients/{code}/lots', { params: { path: { code: 'OC_TOMA' } }, body: { name: 'Lot 9', lot_type: 'Y' } });
    token = 'csrf-2';
    await client.DELETE('/admin/v1/clients/{code}/tokens/{id}', { params: { path: { code: 'OC_TOMA', id: 3 } } });
    token = undefined;
    await client.POST('/admin/v1/clients/{code}/lots', { params: { path: { code: 'OC_TOMA' } }, body: { name: 'Lot 10', lot_type: 'Y' } });
    expect(sent.map((request) => [request.method, new URL(request.url).pathname, request.headers.get('x-csrf-token')])).toEqual([
      ['GET', '/admin/v1/clients/OC_TOMA/lots', null],
      ['POST', '/admin/v1/clients/OC_TOMA/lots', 'csrf-1'],
      ['DELETE', '/admin/v1/clients/OC_TOMA/tokens/3', 'csrf-2'],
      ['POST', '/admin/v1/clients/OC_TOMA/lots', null],
    ]);
    expect(sent.every((request) => request.credentials === 'same-origin')).toBe(true);
    expect(await sent[1]!.json()).toEqual({ name: 'Lot 9', lot_type: 'Y' });
  });

  it('sends a bearer token when a script gives one', async () => {
    const { client, sent } = recordingClient({ bearerToken: 'admin-token-0123456789' });
    await client.GET('/admin/v1/clients', {});
    expect(sent[0]!.headers.get('authorization')).toBe('Bearer admin-token-0123456789');
  });
});
