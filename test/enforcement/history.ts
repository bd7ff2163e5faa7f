import fc from 'fast-check';
import { ADMIN_TOKEN, type Tenant, type TestApp } from '../helpers/app.js';

/**
 * Random histories of everything plate validation answers from, written through the API and
 * the admin API (so through the services and their change events), for the index's tests.
 */

const MINUTE = 60_000;

/** A few plates, some one OCR confusion or one character from another, some spelt two ways. */
export const PLATES = ['ABC123', 'A8C123', 'ABC12', 'XY-9', 'xy9', 'Q0O', 'ZZ1'] as const;
const ALERTS = ['Wanted to talk with.', '*** Violence / Weapons ***', 'Line one\nline two', 'Wanted to talk with.'] as const;
const ZONES = ['Main Campus', 'Lot 6', ''] as const;
const TYPES = ['MOTO-S', 'BIKE', 'LOT3'] as const;

/** Minutes from the history's base time: some already started, some a day and more ahead. */
const offset = fc.integer({ min: -180, max: 40 * 60 });
const span = fc.integer({ min: 1, max: 30 * 60 });
const pick = fc.nat({ max: 50 });

export type Step =
  | { kind: 'user'; alert: string | null }
  | { kind: 'vehicle'; plate: string; province: number; drivers: number[]; alert: string | null }
  | { kind: 'driver'; vehicle: number; user: number }
  | { kind: 'push'; plate: string; start: number; span: number; zone: string; permitNo: string | null }
  | { kind: 'update'; permit: number; plate: string | null; end: number | null }
  | { kind: 'delete'; permit: number }
  | { kind: 'standard'; type: string; vehicles: number[]; plates: string[]; start: number; span: number }
  | { kind: 'dntt'; plate: string; start: number; span: number; location: string }
  | { kind: 'dntt-end'; entry: number }
  | { kind: 'vehicle-alert'; vehicle: number; alert: string | null }
  | { kind: 'user-alert'; user: number; alert: string | null }
  | { kind: 'origin'; origin: string };

const plate = fc.constantFrom(...PLATES);
const alert = fc.option(fc.constantFrom(...ALERTS), { nil: null });

export const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('user' as const), alert }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('vehicle' as const),
      plate,
      province: fc.constantFrom(9, 1, 2),
      drivers: fc.array(pick, { maxLength: 2 }),
      alert,
    }),
    weight: 2,
  },
  fc.record({ kind: fc.constant('driver' as const), vehicle: pick, user: pick }),
  {
    arbitrary: fc.record({
      kind: fc.constant('push' as const),
      plate,
      start: offset,
      span,
      zone: fc.constantFrom(...ZONES),
      permitNo: fc.option(fc.constantFrom('P-1', 'P-2'), { nil: null }),
    }),
    weight: 4,
  },
  fc.record({ kind: fc.constant('update' as const), permit: pick, plate: fc.option(plate, { nil: null }), end: fc.option(offset, { nil: null }) }),
  fc.record({ kind: fc.constant('delete' as const), permit: pick }),
  {
    arbitrary: fc.record({
      kind: fc.constant('standard' as const),
      type: fc.constantFrom(...TYPES),
      vehicles: fc.array(pick, { maxLength: 2 }),
      plates: fc.array(plate, { maxLength: 2 }),
      start: offset,
      span,
    }),
    weight: 2,
  },
  fc.record({ kind: fc.constant('dntt' as const), plate, start: offset, span, location: fc.constantFrom('Lot 6', '') }),
  fc.record({ kind: fc.constant('dntt-end' as const), entry: pick }),
  fc.record({ kind: fc.constant('vehicle-alert' as const), vehicle: pick, alert }),
  fc.record({ kind: fc.constant('user-alert' as const), user: pick, alert }),
  fc.record({ kind: fc.constant('origin' as const), origin: fc.constantFrom('temp', 'hotspot', 'aaa') }),
);

/** What a history wrote: ids to pick from, and every start and end it named (boundaries worth checking). */
export interface Written {
  users: number[];
  vehicles: number[];
  permits: string[];
  dntt: number[];
  instants: number[];
}

/** A client ready for histories: its lots and permit types. */
export async function historyTenant(t: TestApp, timezone: string): Promise<Tenant> {
  const tenant = await t.tenant();
  await t.admin('PATCH', `/clients/${tenant.code}`, { timezone });
  await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Main Campus', lot_type: 'M' });
  for (const type of TYPES) await t.admin('POST', `/clients/${tenant.code}/permit-types`, { short_name: type, lot: 'Main Campus' });
  return tenant;
}

const wallClock = (ms: number) => new Date(ms).toISOString().slice(0, 19);
const iso = (ms: number) => new Date(ms).toISOString();
const nth = <T>(items: readonly T[], index: number): T | undefined => (items.length === 0 ? undefined : items[index % items.length]);

/**
 * Writes one step through the API; a refused step (a duplicate, an entry not in effect) writes
 * nothing, which the index must agree with as well. No step may answer a server fault.
 */
export async function writeStep(t: TestApp, tenant: Tenant, base: number, step: Step, written: Written): Promise<void> {
  const admin = async (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const response = await t.app.inject({
      method,
      url: `/admin/v1/clients/${tenant.code}${url}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    if (response.statusCode >= 500) throw new Error(`${method} ${url} answered ${response.statusCode}: ${response.body}`);
    return response.statusCode < 300 ? response.json<Record<string, unknown>>() : undefined;
  };
  const api = async (path: string, body: Record<string, unknown>) => {
    const response = await t.post(`/api/${tenant.code}/v1/${path}`, { apiToken: tenant.token, ...body });
    if (response.status >= 500) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.status === 200 ? (response.body as Record<string, unknown>) : undefined;
  };
  const at = (minutes: number) => base + minutes * MINUTE;
  switch (step.kind) {
    case 'user': {
      const n = written.users.length + 1;
      const user = await admin('POST', '/users', { unique_id: `u-${n}-${base}`, first_name: 'A', last_name: 'B', email: `u${n}-${base}@example.test` });
      if (typeof user?.id === 'number') {
        written.users.push(user.id);
        if (step.alert !== null) await admin('PUT', `/users/${user.id}/alert`, { text: step.alert });
      }
      return;
    }
    case 'vehicle': {
      const drivers = [...new Set(step.drivers.flatMap((index) => nth(written.users, index) ?? []))];
      const vehicle = await admin('POST', '/vehicles', { plate: step.plate, plateTypeID: 4, provID: step.province, driver_user_ids: drivers });
      if (typeof vehicle?.id !== 'number') return;
      written.vehicles.push(vehicle.id);
      if (step.alert !== null) await admin('PUT', `/vehicles/${vehicle.id}/alert`, { text: step.alert });
      return;
    }
    case 'driver': {
      const vehicle = nth(written.vehicles, step.vehicle);
      const user = nth(written.users, step.user);
      if (vehicle !== undefined && user !== undefined) await admin('POST', `/vehicles/${vehicle}/drivers`, { user_id: user });
      return;
    }
    case 'push': {
      written.instants.push(at(step.start), at(step.start + step.span));
      const pushed = await api('permits/push', {
        plate: step.plate,
        startTime: wallClock(at(step.start)),
        endTime: wallClock(at(step.start + step.span)),
        ...(step.zone === '' ? {} : { zone: step.zone }),
        ...(step.permitNo === null ? {} : { permitNo: step.permitNo }),
      });
      if (typeof pushed?.reference_id === 'string') written.permits.push(pushed.reference_id);
      return;
    }
    case 'update': {
      const permit = nth(written.permits, step.permit);
      if (permit === undefined) return;
      if (step.end !== null) written.instants.push(at(step.end));
      await api('permits/update', {
        reference_id: permit,
        ...(step.plate === null ? {} : { plate: step.plate }),
        ...(step.end === null ? {} : { endTime: wallClock(at(step.end)) }),
      });
      return;
    }
    case 'delete': {
      const permit = nth(written.permits, step.permit);
      if (permit !== undefined) await api('permits/delete', { reference_id: permit });
      return;
    }
    case 'standard': {
      const vehicles = [...new Set(step.vehicles.flatMap((index) => nth(written.vehicles, index) ?? []))];
      if (vehicles.length === 0 && step.plates.length === 0) return;
      written.instants.push(at(step.start), at(step.start + step.span));
      await admin('POST', '/permits', {
        permit_type: step.type,
        vehicle_ids: vehicles,
        plates: step.plates,
        start: iso(at(step.start)),
        end: iso(at(step.start + step.span)),
      });
      return;
    }
    case 'dntt': {
      written.instants.push(at(step.start), at(step.start + step.span));
      const entry = await admin('POST', '/dntt', {
        plate: step.plate,
        location: step.location,
        start: iso(at(step.start)),
        end: iso(at(step.start + step.span)),
        notes: `notes ${step.start}`,
      });
      if (typeof entry?.id === 'number') written.dntt.push(entry.id);
      return;
    }
    case 'dntt-end': {
      const entry = nth(written.dntt, step.entry);
      if (entry !== undefined) await admin('POST', `/dntt/${entry}/end`);
      return;
    }
    case 'vehicle-alert': {
      const vehicle = nth(written.vehicles, step.vehicle);
      if (vehicle === undefined) return;
      if (step.alert === null) await admin('DELETE', `/vehicles/${vehicle}/alert`);
      else await admin('PUT', `/vehicles/${vehicle}/alert`, { text: step.alert });
      return;
    }
    case 'user-alert': {
      const user = nth(written.users, step.user);
      if (user === undefined) return;
      if (step.alert === null) await admin('DELETE', `/users/${user}/alert`);
      else await admin('PUT', `/users/${user}/alert`, { text: step.alert });
      return;
    }
    case 'origin':
      await admin('PATCH', `/integrations/${tenant.integrationId}`, { origin: step.origin });
      return;
  }
}
