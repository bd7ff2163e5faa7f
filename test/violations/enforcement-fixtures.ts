import { sql } from 'kysely';
import type { Tenant, TestApp } from '../helpers/app.js';
import { createUser, createVehicle } from '../helpers/fixtures.js';

/** A tenant set up to write tickets: a location, a category, a violation type and a vehicle with a driver. */
export async function ticketingTenant(t: TestApp) {
  const tenant = await t.tenant();
  const base = `/clients/${tenant.code}`;
  const location = await t.admin('POST', `${base}/locations`, { name: 'Downtown Business District' });
  const category = await t.admin('POST', `${base}/ticket-categories`, { name: 'Municipal' });
  const type = await t.admin('POST', `${base}/violation-types`, {
    description: 'Parked in Loading Zone',
    default_cost: '50.00',
    bylaw_code: 'BL-78',
    discount_amount: 10,
    discount_hours: 168,
    category: 'Municipal',
  });
  const driver = await createUser(t.database.db, tenant.clientId, { first_name: 'stephen_14Oct_1114', last_name: 'stephen_14Oct_1114' });
  const vehicle = await createVehicle(t.database.db, tenant.clientId, {
    plate: 'AJNR123',
    make_id: 13,
    colour_id: 14,
    vehicle_type_id: 5,
    driver_user_ids: [driver.id],
  });
  let tickets = 0;
  /** Writes a ticket through the admin API; due in the past unless `due` says otherwise. */
  const ticket = (fields: Record<string, unknown> = {}) =>
    t.admin('POST', `${base}/violations`, {
      ticket: `1-${100000 + ++tickets}`,
      plate: 'AJNR123',
      location: 'Downtown Business District',
      category: 'Municipal',
      violation_type_ids: [type.id],
      issued: '2016-05-03T20:00:00Z',
      due: '2016-05-23T20:00:00Z',
      ...fields,
    });
  return { tenant, base, location, category, type, driver, vehicle, ticket };
}

/** Inserts `count` overdue violations with one detail each in one statement (for the concurrency and bench runs). */
export async function bulkOverdue(t: Pick<TestApp, 'database'>, clientId: number, vehicleId: number, typeId: number, count: number, prefix = 'B') {
  const db = t.database.db;
  await sql`
    insert into violations (client_id, uuid, ticket, vehicle_id, fine, issued_at, due_at)
    select ${clientId}, gen_random_uuid(), ${prefix} || '-' || n, ${vehicleId}, 50, now() - interval '30 days', now() - interval '10 days'
      from generate_series(1, ${count}::int) n`.execute(db);
  await sql`
    insert into violation_details (client_id, violation_id, violation_type_id, fine)
    select ${clientId}, v.id, ${typeId}, 50 from violations v
     where v.client_id = ${clientId} and v.ticket like ${prefix + '-%'}`.execute(db);
}

export type TicketingTenant = Awaited<ReturnType<typeof ticketingTenant>> & { tenant: Tenant };
