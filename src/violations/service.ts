import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import { toPage } from '../admin/operation.js';
import { withChanges } from '../changes/log.js';
import { isUniqueViolation, InvalidInputError, NotFoundError, ConflictError } from '../core/errors.js';
import { moneyText } from '../core/money.js';
import { normalisePlate } from '../core/plates.js';
import type { AppealState, DB } from '../db/schema.js';
import { onlyRow } from '../db/database.js';
import { OVERDUE, violationEvent } from './repository.js';
import type { AppealChange, NewNamed, NewPayment, NewViolation, NewViolationType } from './schemas.js';

function instant(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidInputError(`${field} is not a valid time`, field);
  return date;
}

function nameOf(value: string, field: string, max = 200): string {
  const name = value.trim();
  if (name === '' || name.length > max) throw new InvalidInputError(`${field} must be 1-${max} characters`, field);
  return name;
}

/** A named row of the client (location, ticket category), 409 on a duplicate name. */
async function createNamed(db: Kysely<DB>, table: 'locations' | 'ticket_categories', clientId: number, input: Static<typeof NewNamed>) {
  const name = nameOf(input.name, 'name');
  try {
    return await db.insertInto(table).values({ client_id: clientId, name }).returning(['id', 'name', 'created_at']).executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`${name} already exists`, 'name');
    throw error;
  }
}

async function listNamed(db: Kysely<DB>, table: 'locations' | 'ticket_categories', clientId: number, limit: number, cursor = 0) {
  const rows = await db
    .selectFrom(table)
    .select(['id', 'name', 'created_at'])
    .where('client_id', '=', clientId)
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit);
}

export const createLocation = (db: Kysely<DB>, clientId: number, input: Static<typeof NewNamed>) => createNamed(db, 'locations', clientId, input);
export const listLocations = (db: Kysely<DB>, clientId: number, limit: number, cursor?: number) => listNamed(db, 'locations', clientId, limit, cursor);
export const createTicketCategory = (db: Kysely<DB>, clientId: number, input: Static<typeof NewNamed>) => createNamed(db, 'ticket_categories', clientId, input);
export const listTicketCategories = (db: Kysely<DB>, clientId: number, limit: number, cursor?: number) =>
  listNamed(db, 'ticket_categories', clientId, limit, cursor);

/** A location or ticket category given by id or by name (case-insensitive). */
async function resolveNamed(
  db: Kysely<DB>,
  table: 'locations' | 'ticket_categories',
  clientId: number,
  value: string | number,
  field: string,
): Promise<number> {
  let query = db.selectFrom(table).select('id').where('client_id', '=', clientId);
  query = typeof value === 'number' ? query.where('id', '=', value) : query.where(sql`lower(name)`, '=', value.trim().toLowerCase());
  const row = await query.executeTakeFirst();
  if (row === undefined) throw new InvalidInputError(`no ${field} ${value}`, field);
  return row.id;
}

const typeColumns = ['id', 'description', 'default_cost', 'bylaw_code', 'discount_amount', 'discount_hours', 'category_id', 'created_at'] as const;

export async function createViolationType(db: Kysely<DB>, clientId: number, input: Static<typeof NewViolationType>) {
  return db
    .insertInto('violation_types')
    .values({
      client_id: clientId,
      description: nameOf(input.description, 'description', 500),
      default_cost: moneyText(input.default_cost ?? 0, 'default_cost'),
      bylaw_code: input.bylaw_code?.trim() || null,
      discount_amount: moneyText(input.discount_amount ?? 0, 'discount_amount'),
      discount_hours: input.discount_hours ?? 0,
      category_id: input.category === undefined ? null : await resolveNamed(db, 'ticket_categories', clientId, input.category, 'category'),
    })
    .returning(typeColumns)
    .executeTakeFirstOrThrow();
}

export async function listViolationTypes(db: Kysely<DB>, clientId: number, limit: number, cursor = 0) {
  const rows = await db
    .selectFrom('violation_types')
    .select(typeColumns)
    .where('client_id', '=', clientId)
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit);
}

/** A violation as the operator sees it: with its types, what was paid and what is owed. */
function violationQuery(db: Kysely<DB>, clientId: number) {
  return db
    .selectFrom('violations as v')
    .leftJoin('vehicles as ve', (join) => join.onRef('ve.client_id', '=', 'v.client_id').onRef('ve.id', '=', 'v.vehicle_id'))
    .where('v.client_id', '=', clientId)
    .select([
      'v.id',
      'v.uuid',
      'v.ticket',
      'v.vehicle_id',
      've.plate',
      'v.location_id',
      'v.category_id',
      'v.fine',
      'v.adjusted_fine',
      'v.issued_at',
      'v.due_at',
      'v.spoiled_at',
      'v.appeal_state',
      'v.sent_to_collections_at',
      'v.collections_batch_id',
      'v.created_at',
    ])
    .select([
      sql<number[]>`array(select d.violation_type_id from violation_details d where d.client_id = v.client_id and d.violation_id = v.id order by d.id)`.as(
        'violation_type_ids',
      ),
      sql<string>`coalesce((select sum(p.amount) from violation_payments p where p.client_id = v.client_id and p.violation_id = v.id), 0)::numeric(12, 2)::text`.as(
        'paid',
      ),
    ]);
}

/** A violation with its payments, oldest first. */
export async function showViolationWithPayments(db: Kysely<DB>, clientId: number, id: number) {
  const violation = await showViolation(db, clientId, id);
  const payments = await db
    .selectFrom('violation_payments')
    .select(['id', sql<string>`amount::numeric(12, 2)::text`.as('amount'), 'paid_at'])
    .where('client_id', '=', clientId)
    .where('violation_id', '=', id)
    .orderBy('paid_at')
    .orderBy('id')
    .execute();
  return { ...violation, payments };
}

async function showViolation(db: Kysely<DB>, clientId: number, id: number) {
  const row = await violationQuery(db, clientId).where('v.id', '=', id).executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`no violation with id ${id}`, 'id');
  return row;
}

/**
 * Writes a ticket: the vehicle by id or by the client's vehicle with that normalised plate, one
 * detail row per violation type (its default cost and discount rule), and the fine (the sum of
 * the types' costs unless given).
 */
export async function createViolation(db: Kysely<DB>, clientId: number, input: Static<typeof NewViolation>) {
  const ticket = nameOf(input.ticket, 'ticket', 50);
  const issued = instant(input.issued, 'issued');
  const due = instant(input.due, 'due');
  if (due < issued) throw new InvalidInputError('due must not be before issued', 'due');
  if (input.violation_type_ids.length === 0) throw new InvalidInputError('at least one violation type is required', 'violation_type_ids');
  const typeIds = [...new Set(input.violation_type_ids)];

  let vehicleId: number;
  if (input.vehicle_id !== undefined) {
    const vehicle = await db.selectFrom('vehicles').select('id').where('client_id', '=', clientId).where('id', '=', input.vehicle_id).executeTakeFirst();
    if (vehicle === undefined) throw new InvalidInputError(`no vehicle with id ${input.vehicle_id}`, 'vehicle_id');
    vehicleId = vehicle.id;
  } else if (input.plate !== undefined) {
    const vehicles = await db
      .selectFrom('vehicles')
      .select('id')
      .where('client_id', '=', clientId)
      .where('plate_norm', '=', normalisePlate(input.plate))
      .orderBy('id')
      .execute();
    const [vehicle, ...others] = vehicles;
    if (vehicle === undefined) throw new InvalidInputError(`no vehicle with plate ${input.plate}`, 'plate');
    if (others.length > 0) throw new InvalidInputError(`several vehicles have plate ${input.plate}; give vehicle_id`, 'plate');
    vehicleId = vehicle.id;
  } else {
    throw new InvalidInputError('plate or vehicle_id is required', 'plate');
  }
  const locationId = input.location === undefined ? null : await resolveNamed(db, 'locations', clientId, input.location, 'location');
  const categoryId = input.category === undefined ? null : await resolveNamed(db, 'ticket_categories', clientId, input.category, 'category');
  const types = await db
    .selectFrom('violation_types')
    .select(['id', 'default_cost', 'discount_amount', 'discount_hours'])
    .where('client_id', '=', clientId)
    .where((eb) => eb('id', '=', eb.fn.any(eb.val(typeIds))))
    .execute();
  const missing = typeIds.find((id) => !types.some((type) => type.id === id));
  if (missing !== undefined) throw new InvalidInputError(`no violation type with id ${missing}`, 'violation_type_ids');
  const fine = input.fine === undefined ? null : moneyText(input.fine, 'fine');
  const adjustedFine = input.adjusted_fine === undefined ? null : moneyText(input.adjusted_fine, 'adjusted_fine');

  try {
    // A duplicate ticket's unique violation ends this transaction; it is answered outside it.
    const id = await withChanges(db, clientId, async (trx, emit) => {
      const violation = await trx
        .insertInto('violations')
        .values({
          client_id: clientId,
          uuid: randomUUID(),
          ticket,
          vehicle_id: vehicleId,
          location_id: locationId,
          category_id: categoryId,
          fine: fine ?? sql<string>`(select sum(default_cost) from violation_types where client_id = ${clientId} and id = any(${typeIds}))`,
          adjusted_fine: adjustedFine,
          adjustment_reason: input.adjustment_reason?.trim() || null,
          comment: input.comment ?? null,
          issued_at: issued,
          due_at: due,
          spoiled_at: null,
          sent_to_collections_at: null,
          collections_batch_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('violation_details')
        .values(
          typeIds.map((typeId) => {
            const type = types.find((candidate) => candidate.id === typeId)!;
            return {
              client_id: clientId,
              violation_id: violation.id,
              violation_type_id: typeId,
              fine: type.default_cost,
              discount_amount: type.discount_amount,
              discount_hours: type.discount_hours,
            };
          }),
        )
        .execute();
      emit({ type: 'violation.created', object: await violationEvent(trx, clientId, violation.id) });
      return violation.id;
    });
    return await showViolation(db, clientId, id);
  } catch (error) {
    if (isUniqueViolation(error, 'violations_ticket_key')) throw new ConflictError(`ticket ${ticket} already exists`, 'ticket');
    throw error;
  }
}

export const VIOLATION_STATUSES = ['open', 'overdue', 'paid', 'void', 'collections'] as const;
export type ViolationStatus = (typeof VIOLATION_STATUSES)[number];

/** What is still owed on violation `v`: the fine after adjustment minus the payments. */
const BALANCE = sql`coalesce(v.adjusted_fine, v.fine) - coalesce((select sum(p.amount) from violation_payments p
  where p.client_id = v.client_id and p.violation_id = v.id), 0)`;

/** The condition on alias `v` of each status of the list filter. */
const STATUS_CONDITIONS: Record<ViolationStatus, ReturnType<typeof sql<boolean>>> = {
  open: sql<boolean>`v.spoiled_at is null and v.sent_to_collections_at is null and ${BALANCE} > 0`,
  // the collections export's own rule, so the list shows what the next export would send
  overdue: sql<boolean>`${sql.raw(OVERDUE)}`,
  paid: sql<boolean>`v.spoiled_at is null and ${BALANCE} <= 0`,
  void: sql<boolean>`v.spoiled_at is not null`,
  collections: sql<boolean>`v.sent_to_collections_at is not null`,
};

export interface ViolationFilter {
  readonly status?: ViolationStatus;
  readonly plate?: string;
}

export async function listViolations(db: Kysely<DB>, clientId: number, limit: number, cursor = 0, filter: ViolationFilter = {}) {
  let query = violationQuery(db, clientId);
  if (filter.status !== undefined) query = query.where(STATUS_CONDITIONS[filter.status]);
  if (filter.plate !== undefined) query = query.where('ve.plate_norm', '=', normalisePlate(filter.plate));
  const rows = await query
    .where('v.id', '>', cursor)
    .orderBy('v.id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit);
}

/**
 * Records a payment; refuses one on a voided ticket or above what is owed. Every payment is a
 * `violation.paid` event carrying the payment and the balance left (zero: paid in full).
 */
export async function addPayment(db: Kysely<DB>, clientId: number, violationId: number, input: Static<typeof NewPayment>) {
  const amount = moneyText(input.amount, 'amount');
  if (Number(amount) <= 0) throw new InvalidInputError('amount must be above zero', 'amount');
  await withChanges(db, clientId, async (trx, emit) => {
    const owed = await sql<{ spoiled: boolean; balance: string }>`
      select v.spoiled_at is not null as spoiled,
             coalesce(v.adjusted_fine, v.fine) - coalesce((select sum(p.amount) from violation_payments p
               where p.client_id = v.client_id and p.violation_id = v.id), 0) as balance
        from violations v where v.client_id = ${clientId} and v.id = ${violationId} for update`.execute(trx);
    const row = owed.rows[0];
    if (row === undefined) throw new NotFoundError(`no violation with id ${violationId}`, 'id');
    if (row.spoiled) throw new ConflictError('the violation is voided', 'id');
    const exceeds = await sql<{ exceeds: boolean }>`select ${amount}::numeric > ${row.balance}::numeric as exceeds`.execute(trx);
    if (onlyRow(exceeds).exceeds) throw new ConflictError(`amount exceeds the balance owing (${row.balance})`, 'amount');
    const payment = await trx
      .insertInto('violation_payments')
      .values({ client_id: clientId, violation_id: violationId, amount })
      .returning(['id', 'amount', 'paid_at'])
      .executeTakeFirstOrThrow();
    emit({ type: 'violation.paid', object: { ...(await violationEvent(trx, clientId, violationId)), payment } });
  });
  return showViolation(db, clientId, violationId);
}

async function updateViolation(db: Kysely<DB>, clientId: number, violationId: number, change: { appeal_state: AppealState }) {
  const row = await db
    .updateTable('violations')
    .set({ ...change, updated_at: new Date() })
    .where('client_id', '=', clientId)
    .where('id', '=', violationId)
    .returning('id')
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`no violation with id ${violationId}`, 'id');
  return showViolation(db, clientId, violationId);
}

/** Voids ("spoils") a ticket: it is no longer owed. */
export async function voidViolation(db: Kysely<DB>, clientId: number, violationId: number) {
  const current = await showViolation(db, clientId, violationId);
  if (current.spoiled_at !== null) throw new ConflictError('the violation is already voided', 'id');
  await withChanges(db, clientId, async (trx, emit) => {
    const row = await trx
      .updateTable('violations')
      .set({ spoiled_at: new Date(), updated_at: new Date() })
      .where('client_id', '=', clientId)
      .where('id', '=', violationId)
      .where('spoiled_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    // Another void committed since the look above.
    if (row === undefined) throw new ConflictError('the violation is already voided', 'id');
    emit({ type: 'violation.voided', object: await violationEvent(trx, clientId, violationId) });
  });
  return showViolation(db, clientId, violationId);
}

export const APPEAL_STATES: readonly AppealState[] = ['none', 'open', 'granted', 'denied'];

/** Sets the appeal state; an open appeal keeps the ticket out of collections. */
export async function setAppeal(db: Kysely<DB>, clientId: number, violationId: number, input: Static<typeof AppealChange>) {
  const state = input.state.toLowerCase() as AppealState;
  if (!APPEAL_STATES.includes(state)) throw new InvalidInputError(`state must be one of ${APPEAL_STATES.join(', ')}`, 'state');
  return updateViolation(db, clientId, violationId, { appeal_state: state });
}
