import { describe, expect, it } from 'vitest';
import { DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const HOUR = 3_600_000;
const wallClock = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().slice(0, 19);

describe.each(DATABASES)('the enforcement index in one process on %s', (kind) => {
  const validate = (t: TestApp, tenant: Tenant, plate: string, fuzzy = false) =>
    t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, plate, fuzzy });
  const api = (t: TestApp, tenant: Tenant, path: string, body: Record<string, unknown>) =>
    t.post(`/api/${tenant.code}/v1/${path}`, { apiToken: tenant.token, ...body });

  it('shows a write to the very next validation of the process that made it', async () => {
    const t = await startTestApp(kind);
    try {
      const tenant = await t.tenant({ origin: 'hotspot' });
      for (let i = 0; i < 10; i++) {
        const plate = `VIS${i}`;
        const pushed = await api(t, tenant, 'permits/push', { plate, startTime: wallClock(-HOUR), endTime: wallClock(HOUR), zone: `Zone ${i}` });
        expect(pushed.status).toBe(200);
        const found = await validate(t, tenant, plate);
        expect(found.body.data.responseJSON.permits).toEqual([expect.objectContaining({ type: 'hotspot', shortName: `Zone ${i}` })]);
        if (i % 2 === 0) {
          await api(t, tenant, 'permits/update', { reference_id: pushed.body.reference_id, plate: `MOVED${i}` });
          expect((await validate(t, tenant, plate)).body.data.responseJSON).toEqual({});
          expect((await validate(t, tenant, `MOVED${i}`)).body.data.responseJSON.permits).toHaveLength(1);
        } else {
          await api(t, tenant, 'permits/delete', { reference_id: pushed.body.reference_id });
          expect((await validate(t, tenant, plate)).body.data.responseJSON).toEqual({});
        }
      }
      const entry = await t.admin('POST', `/clients/${tenant.code}/dntt`, {
        plate: 'VIS0',
        start: new Date(Date.now() - HOUR).toISOString(),
        end: new Date(Date.now() + HOUR).toISOString(),
      });
      expect((await validate(t, tenant, 'VIS0')).body.data.responseJSON.active).toBe('1');
      await t.admin('POST', `/clients/${tenant.code}/dntt/${entry.id}/end`);
      expect((await validate(t, tenant, 'VIS0')).body.data.responseJSON).toEqual({});
      // An integration's new origin (no event carries it) is the type of its permits at once.
      await t.admin('PATCH', `/clients/${tenant.code}/integrations/${tenant.integrationId}`, { origin: 'renamed' });
      expect((await validate(t, tenant, 'MOVED0')).body.data.responseJSON.permits).toEqual([expect.objectContaining({ type: 'renamed' })]);
    } finally {
      await t.close();
    }
  }, 120_000);

  it('answers validation without the database once loaded: with the database closed, the answers stay', async () => {
    const t = await startTestApp(kind);
    try {
      const tenant = await t.tenant();
      await api(t, tenant, 'permits/push', { plate: 'ABC123', startTime: wallClock(-HOUR), endTime: wallClock(HOUR), zone: 'Lot 6' });
      const vehicle = await t.admin('POST', `/clients/${tenant.code}/vehicles`, { plate: 'ABC456', plateTypeID: 4, provID: 9 });
      await t.admin('PUT', `/clients/${tenant.code}/vehicles/${vehicle.id}/alert`, { text: 'Wanted to talk with.' });
      const before = await validate(t, tenant, 'ABC123');
      const fuzzyBefore = await validate(t, tenant, 'A8C123', true);
      const alarmBefore = await validate(t, tenant, 'ABC456');
      expect(before.body.data.responseJSON.permits).toHaveLength(1);
      expect(fuzzyBefore.body.data.responseJSON.candidates).toHaveLength(1);
      expect(alarmBefore.body.data.responseJSON.alarm).toBe('Wanted to talk with.');

      await t.database.close();
      // The database is really gone: anything that asks it fails.
      expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(503);
      // Validation does not ask it (the token is in the authentication cache from the calls above).
      expect(await validate(t, tenant, 'ABC123')).toStrictEqual(expect.objectContaining({ status: 200, body: before.body }));
      expect((await validate(t, tenant, 'A8C123', true)).body).toStrictEqual(fuzzyBefore.body);
      expect((await validate(t, tenant, 'ABC456')).body).toStrictEqual(alarmBefore.body);
      expect((await validate(t, tenant, 'NEVER1')).body.data).toStrictEqual({ response: '', plate: 'NEVER1', responseJSON: {} });
    } finally {
      await t.close();
    }
  });
});
