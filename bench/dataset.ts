/**
 * The bench data set, loaded through SQL bulk paths (generate_series), never through the API:
 * one client with 50 lots, pushed permits spread over the last two years (about 1 % valid now),
 * standard permits, vehicles, users, and violations when the enforcement tables exist.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';
import { createClient, createIntegration, createToken } from '../src/tenants/service.js';
import type { BenchContext } from './scenarios.js';

export interface DatasetSize {
  readonly label: string;
  readonly permits: number;
  readonly standardPermits: number;
  readonly vehicles: number;
  readonly users: number;
  readonly violations: number;
  readonly overdue: number;
  /** Permits valid now in the one lot the Genetec zone download reads (docs/genetec.md), besides `permits`. */
  readonly genetecZonePermits: number;
  /** Events in the change log, read by the feed's row. */
  readonly changeEvents: number;
}

export const SIZES = {
  full: {
    label: 'full',
    permits: 1_000_000,
    standardPermits: 20_000,
    vehicles: 100_000,
    users: 200_000,
    violations: 100_000,
    overdue: 20_000,
    genetecZonePermits: 10_000,
    changeEvents: 100_000,
  },
  small: {
    label: 'small',
    permits: 100_000,
    standardPermits: 2_000,
    vehicles: 10_000,
    users: 20_000,
    violations: 10_000,
    overdue: 2_000,
    genetecZonePermits: 10_000,
    changeEvents: 100_000,
  },
  tiny: {
    label: 'tiny',
    permits: 2_000,
    standardPermits: 100,
    vehicles: 500,
    users: 1_000,
    violations: 200,
    overdue: 40,
    genetecZonePermits: 200,
    changeEvents: 5_000,
  },
} as const satisfies Record<string, DatasetSize>;

export const LOTS = 50;
export const CLIENT_CODE = 'BENCH';

export interface LoadedDataset {
  readonly context: BenchContext;
  /** What was loaded, with row counts read back from the database. */
  readonly counts: Record<string, number>;
  readonly notes: string[];
  readonly seconds: number;
}

async function count(db: Kysely<DB>, table: string, clientId: number): Promise<number> {
  const result = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where client_id = ${clientId}`.execute(db);
  return Number(result.rows[0]!.n);
}

export async function loadDataset(db: Kysely<DB>, size: DatasetSize): Promise<LoadedDataset> {
  const started = performance.now();
  const notes: string[] = [];
  const client = await createClient(db, { code: CLIENT_CODE, name: 'Bench client', timezone: 'America/Toronto' });
  const clientId = client.id;
  const integration = await createIntegration(db, clientId, { name: 'Bench pay station', origin: 'temp' });
  const { token } = await createToken(db, clientId, { integration: integration.id, scopes: 'all' });

  await sql`insert into lots (client_id, name, lot_type, default_cost, capacity, tax_rate1, tax_rate2)
    select ${clientId}, 'Lot ' || g, (array['Y','M','S','O'])[1 + g % 4], 100 + g, 500 + 10 * g, 5, 8
    from generate_series(1, ${LOTS}) g`.execute(db);
  await sql`insert into user_types (client_id, id, type_name, ext_info)
    select ${clientId}, g, 'Type ' || g, case when g % 2 = 0 then 'Student' else 'Staff' end from generate_series(1, 10) g`.execute(db);
  await sql`insert into permit_types (client_id, short_name, lot_id)
    select ${clientId}, 'LOT' || l.rn, l.id from (select id, row_number() over (order by id) as rn from lots where client_id = ${clientId}) l`.execute(db);

  // Users U1..Un; vehicles P1..Pm, vehicle i driven by user i; every 1000th vehicle has an alert.
  await sql`insert into users (client_id, unique_id, login_source, first_name, last_name, email, user_type_id)
    select ${clientId}, 'U' || g, 'OPSCOM', 'First' || g, 'Last' || g, 'u' || g || '@bench.example', 1 + g % 10
    from generate_series(1, ${size.users}) g`.execute(db);
  await sql`insert into vehicles (client_id, plate, plate_norm, plate_type_id, province_id, make_id, vehicle_type_id, colour_id, year, alert)
    select ${clientId}, 'P' || g, 'P' || g, 4, 9, 13, 5, 14, 2000 + g % 25, case when g % 1000 = 0 then 'Stolen vehicle' end
    from generate_series(1, ${size.vehicles}) g`.execute(db);
  await sql`insert into vehicle_drivers (client_id, vehicle_id, user_id)
    select v.client_id, v.id, u.id from vehicles v join users u on u.client_id = v.client_id and u.unique_id = 'U' || substr(v.plate, 2)
    where v.client_id = ${clientId}`.execute(db);

  // Pushed permits: plate P(1 + i % (n/5)) so a plate has about five permits in its history,
  // starts spread evenly over two years, lasting 1 to 14 days: about 1 % valid now.
  const distinctPlates = Math.max(1, Math.floor(size.permits / 5));
  await sql`insert into pushed_permits (client_id, reference_id, integration_id, plate, plate_norm, amount, currency,
      start_at, end_at, zone_name, lot_id, permit_no)
    select ${clientId}, gen_random_uuid(), ${integration.id}, 'P' || (1 + g % ${distinctPlates}), 'P' || (1 + g % ${distinctPlates}),
      (1 + g % 20)::numeric, 'CAD', s.start_at, s.start_at + (1 + g % 14) * interval '1 day',
      'Lot ' || (1 + g % ${LOTS}), lots.ids[1 + g % ${LOTS}], 'N' || g
    from generate_series(1, ${size.permits}) g
    cross join (select array_agg(id order by id) as ids from lots where client_id = ${clientId}) lots
    cross join lateral (select now() - interval '730 days' + (g::float8 / ${size.permits}) * interval '730 days' as start_at) s`.execute(db);

  // Standard permits of user i on vehicle i, starts over two years lasting 4 to 120 days.
  // One more lot, with its own permits valid now, for the Genetec zone download.
  const genetecLot = await sql<{ id: number }>`insert into lots (client_id, name, lot_type) values (${clientId}, 'Genetec zone', 'M') returning id`.execute(db);
  const genetecZone = genetecLot.rows[0]!.id;
  await sql`insert into pushed_permits (client_id, reference_id, integration_id, plate, plate_norm, amount, currency,
      start_at, end_at, zone_name, lot_id)
    select ${clientId}, gen_random_uuid(), ${integration.id}, 'G' || g, 'G' || g, 5, 'CAD',
      now() - interval '1 hour', now() + interval '7 days', 'Genetec zone', ${genetecZone}
    from generate_series(1, ${size.genetecZonePermits}) g`.execute(db);

  const standardVehicles = Math.min(size.standardPermits, size.vehicles);
  await sql`insert into standard_permits (client_id, permit_type_id, user_id, start_at, end_at, amount, tax_amount, tax_amount1, tax_amount2)
    select ${clientId}, pt.ids[1 + g % ${LOTS}], u.id, s.start_at, s.start_at + (4 + g % 117) * interval '1 day', 100, 13, 5, 8
    from generate_series(1, ${standardVehicles}) g
    cross join (select array_agg(id order by id) as ids from permit_types where client_id = ${clientId}) pt
    join users u on u.client_id = ${clientId} and u.unique_id = 'U' || g
    cross join lateral (select now() - interval '730 days' + (g::float8 / ${standardVehicles}) * interval '730 days' as start_at) s`.execute(db);
  await sql`insert into standard_permit_vehicles (client_id, permit_id, vehicle_id)
    select sp.client_id, sp.id, v.id from standard_permits sp
    join users u on u.client_id = sp.client_id and u.id = sp.user_id
    join vehicles v on v.client_id = sp.client_id and v.plate_norm = 'P' || substr(u.unique_id, 2)
    where sp.client_id = ${clientId}`.execute(db);

  notes.push(...(await loadViolations(db, clientId, size)));
  // The change log: permit.created events shaped like a push's, numbered after what the services wrote.
  await sql`insert into change_log (client_id, seq, type, occurred_at, object)
    select ${clientId}, c.last_seq + g, 'permit.created', now() - interval '1 hour', jsonb_build_object(
      'kind', 'pushed', 'reference_id', gen_random_uuid(), 'integration_id', ${integration.id}::int, 'plate', 'P' || g, 'zone', 'Lot ' || (1 + g % ${LOTS}),
      'lot_id', null, 'disconnected', false, 'start', now() - interval '1 hour', 'end', now() + interval '1 hour', 'amount', '14.50',
      'currency', 'CAD', 'permit_no', null, 'ticket_number', null, 'promo_code', null, 'created_at', now(), 'updated_at', now(), 'deleted_at', null)
    from generate_series(1, ${size.changeEvents}) g
    cross join (select coalesce((select last_seq from change_counters where client_id = ${clientId}), 0) as last_seq) c`.execute(db);
  await sql`insert into change_counters (client_id, last_seq) values (${clientId}, ${size.changeEvents})
    on conflict (client_id) do update set last_seq = change_counters.last_seq + ${size.changeEvents}`.execute(db);
  await sql`analyze`.execute(db);

  const validPlates = await sql<{ plate: string }>`select distinct plate from pushed_permits
    where client_id = ${clientId} and deleted_at is null and start_at <= now() and end_at > now() limit 500`.execute(db);
  const expiredPlates = await sql<{ plate: string }>`select v.plate from vehicles v where v.client_id = ${clientId}
    and not exists (select 1 from pushed_permits p where p.client_id = v.client_id and p.plate_norm = v.plate_norm and p.deleted_at is null and p.end_at > now())
    and not exists (select 1 from standard_permit_vehicles spv join standard_permits sp on sp.client_id = spv.client_id and sp.id = spv.permit_id
      where spv.client_id = v.client_id and spv.vehicle_id = v.id and sp.end_at > now())
    limit 500`.execute(db);
  const references = await sql<{ reference_id: string }>`select reference_id from pushed_permits
    where client_id = ${clientId} and deleted_at is null and start_at < now() - interval '1 day' order by id desc limit 2000`.execute(db);

  const counts: Record<string, number> = {};
  for (const table of ['lots', 'users', 'vehicles', 'pushed_permits', 'standard_permits', 'change_log']) counts[table] = await count(db, table, clientId);
  const validNow = await sql<{
    n: string;
  }>`select count(*) as n from pushed_permits where client_id = ${clientId} and start_at <= now() and end_at > now()`.execute(db);
  counts.pushed_permits_valid_now = Number(validNow.rows[0]!.n);
  if (await tableExists(db, 'violations')) counts.violations = await count(db, 'violations', clientId);

  return {
    context: {
      client: CLIENT_CODE,
      token,
      validPlates: validPlates.rows.map((r) => r.plate),
      expiredPlates: expiredPlates.rows.map((r) => r.plate),
      referenceIds: references.rows.map((r) => r.reference_id),
      zones: Array.from({ length: LOTS }, (_, i) => `Lot ${i + 1}`),
      genetecZone: String(genetecZone),
    },
    counts,
    notes,
    seconds: (performance.now() - started) / 1000,
  };
}

async function tableExists(db: Kysely<DB>, table: string): Promise<boolean> {
  const result = await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(db);
  return result.rows[0]!.found !== null;
}

/** Violations come with the enforcement migration; without it the loader says so and skips. */
async function loadViolations(db: Kysely<DB>, clientId: number, size: DatasetSize): Promise<string[]> {
  if (!(await tableExists(db, 'violations'))) return ['violations tables not present (enforcement migration not merged): no violations loaded'];
  return loadEnforcementRows(db, clientId, size);
}

/**
 * Against the enforcement migration (003_enforcement.sql): 20 locations, 5 categories, 10
 * violation types; `size.violations` violations with one detail each, of which the first
 * `size.overdue` are overdue (due date passed, nothing paid, not voided, no open appeal) and
 * the rest are not, a quarter each for: not due yet, paid in full, voided, under open appeal.
 * Every 200th vehicle also gets a do-not-ticket entry valid now.
 */
async function loadEnforcementRows(db: Kysely<DB>, clientId: number, size: DatasetSize): Promise<string[]> {
  await sql`insert into locations (client_id, name) select ${clientId}, 'Location ' || g from generate_series(1, 20) g`.execute(db);
  await sql`insert into ticket_categories (client_id, name) select ${clientId}, 'Category ' || g from generate_series(1, 5) g`.execute(db);
  await sql`insert into violation_types (client_id, description, default_cost, bylaw_code, category_id)
    select ${clientId}, 'Violation type ' || g, 25 + 5 * g, 'BL-' || g, c.ids[1 + g % 5]
    from generate_series(1, 10) g cross join (select array_agg(id order by id) as ids from ticket_categories where client_id = ${clientId}) c`.execute(db);
  const vehicles = Math.max(1, size.vehicles);
  await sql`insert into violations (client_id, uuid, ticket, vehicle_id, location_id, category_id, fine, issued_at, due_at, spoiled_at, appeal_state)
    select ${clientId}, gen_random_uuid(), 'T' || g, v.ids[1 + g % ${vehicles}], l.ids[1 + g % 20], c.ids[1 + g % 5], 25 + 5 * (g % 10),
      now() - (10 + g % 700) * interval '1 day',
      case when g > ${size.overdue} and g % 4 = 0 then now() + interval '30 days' else now() - (1 + g % 700) * interval '1 day' end,
      case when g > ${size.overdue} and g % 4 = 2 then now() - interval '1 day' end,
      case when g > ${size.overdue} and g % 4 = 3 then 'open' else 'none' end
    from generate_series(1, ${size.violations}) g
    cross join (select array_agg(id order by id) as ids from vehicles where client_id = ${clientId}) v
    cross join (select array_agg(id order by id) as ids from locations where client_id = ${clientId}) l
    cross join (select array_agg(id order by id) as ids from ticket_categories where client_id = ${clientId}) c`.execute(db);
  await sql`insert into violation_details (client_id, violation_id, violation_type_id, fine)
    select v.client_id, v.id, t.ids[1 + v.id % 10], v.fine from violations v
    cross join (select array_agg(id order by id) as ids from violation_types where client_id = ${clientId}) t
    where v.client_id = ${clientId}`.execute(db);
  await sql`insert into violation_payments (client_id, violation_id, amount)
    select client_id, id, fine from violations
    where client_id = ${clientId} and substr(ticket, 2)::int > ${size.overdue} and substr(ticket, 2)::int % 4 = 1`.execute(db);
  await sql`insert into violation_attachments (client_id, violation_id, uuid, storage_location, name, ext, mime)
    select client_id, id, gen_random_uuid(), 'bench/' || id, 'photo' || id, 'jpg', 'image/jpeg' from violations
    where client_id = ${clientId} and id % 10 = 0`.execute(db);
  await sql`insert into dntt_entries (client_id, plate, plate_norm, location, start_at, end_at, notes)
    select client_id, plate, plate_norm, case when id % 400 = 0 then '' else 'Location 1' end, now() - interval '1 day', now() + interval '1 day', 'Contractor'
    from vehicles where client_id = ${clientId} and id % 200 = 0`.execute(db);
  return [`violations: ${size.violations} loaded, ${size.overdue} of them overdue`];
}
