import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Caller } from '../core/auth.js';
import { withChanges } from '../changes/log.js';
import { ApiError, isUniqueViolation } from '../core/errors.js';
import type { Fields } from '../core/fields.js';
import { normalisePlate } from '../core/plates.js';
import type { DB } from '../db/schema.js';
import { PERMIT_FIELDS } from './fields.js';
import {
  findDuplicate,
  findPushedPermit,
  insertPushedPermit,
  lotValues,
  permitStats,
  resolveNewEnd,
  resolvePush,
  softDeletePushedPermit,
  updatePushedPermit,
  type DuplicateKey,
  type PushedPermitChanges,
  type PushedPermitRow,
} from './repository.js';
import { permitReads } from './reads.js';

const END_AFTER_START_HINT = 'the end time must be later than the start time';

/** The answer of push, update and delete (the seed's shape). */
export interface PermitAnswer {
  readonly status: 'success';
  readonly reference_id: string;
  readonly InternalReferenceID: string;
}

function answer(referenceId: string): PermitAnswer {
  return { status: 'success', reference_id: referenceId, InternalReferenceID: referenceId };
}

function duplicateError(referenceId: string): ApiError {
  return new ApiError(9022, undefined, { extra: { reference_id: referenceId } });
}

/** A plate that normalises to nothing (`" - . "`) names no vehicle. */
function readPlate(fields: Fields, required: boolean): { plate: string; plateNorm: string } | undefined {
  const plate = fields.text(PERMIT_FIELDS.plate, required);
  if (plate === undefined) return undefined;
  const plateNorm = normalisePlate(plate);
  if (plateNorm === '') throw new ApiError(9033, fields.nameOf(PERMIT_FIELDS.plate));
  return { plate, plateNorm };
}

function readCurrency(fields: Fields): string | undefined {
  return fields.text(PERMIT_FIELDS.currency)?.toUpperCase();
}

/**
 * Who pushes a permit: a client's integration. The API's caller is one (its token is not part
 * of a push); the demo pushes as its integration directly.
 */
export type Pusher = Pick<Caller, 'client' | 'integrationId'>;

/** permits/push (docs/api.md#permitspush). */
export async function pushPermit(db: Kysely<DB>, pusher: Pusher, fields: Fields): Promise<PermitAnswer> {
  const { plate, plateNorm } = readPlate(fields, true)!;
  const amount = fields.amount(PERMIT_FIELDS.amount) ?? null;
  const currency = readCurrency(fields) ?? pusher.client.currency;
  const start = fields.timestamp(PERMIT_FIELDS.startTime, true)!;
  const end = fields.timestamp(PERMIT_FIELDS.endTime, true)!;
  const permitNo = fields.text(PERMIT_FIELDS.permitNo) ?? null;
  const ticketNumber = fields.text(PERMIT_FIELDS.ticketNumber) ?? null;
  const zone = fields.text(PERMIT_FIELDS.zone) ?? null;
  const promoCode = fields.text(PERMIT_FIELDS.promoCode) ?? null;

  const clientId = pusher.client.clientId;
  const resolved = await resolvePush(db, clientId, pusher.client.inputTimeZone, start, end, zone);
  if (!resolved.ordered) throw new ApiError(9005, fields.nameOf(PERMIT_FIELDS.endTime), { hint: END_AFTER_START_HINT });

  const key: DuplicateKey = {
    clientId,
    integrationId: pusher.integrationId,
    plateNorm,
    startAt: resolved.start_at,
    endAt: resolved.end_at,
    zoneName: zone,
    permitNo,
  };
  // A duplicate deleted between the insert and the look-up frees the slot: try again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await withChanges(db, clientId, async (trx, emit) => {
      const row = await insertPushedPermit(trx, {
        client_id: clientId,
        reference_id: randomUUID(),
        integration_id: pusher.integrationId,
        plate,
        plate_norm: plateNorm,
        amount,
        currency,
        start_at: resolved.start_at,
        end_at: resolved.end_at,
        permit_no: permitNo,
        ticket_number: ticketNumber,
        zone_name: zone,
        lot_id: resolved.lot_id,
        disconnected: zone !== null && resolved.lot_id === null,
        promo_code: promoCode,
      });
      if (row !== undefined) emit({ type: 'permit.created', object: pushedPermitEvent(row) });
      return row;
    });
    if (inserted !== undefined) return answer(inserted.reference_id);
    const existing = await findDuplicate(db, key);
    if (existing !== undefined) throw duplicateError(existing);
  }
  throw new ApiError(9022);
}

/** A pushed permit as its change events carry it. */
function pushedPermitEvent(row: NonNullable<PushedPermitRow>): Record<string, unknown> {
  return {
    kind: 'pushed',
    reference_id: row.reference_id,
    integration_id: row.integration_id,
    plate: row.plate,
    zone: row.zone_name,
    lot_id: row.lot_id,
    disconnected: row.disconnected,
    start: row.start_at,
    end: row.end_at,
    amount: row.amount,
    currency: row.currency,
    permit_no: row.permit_no,
    ticket_number: row.ticket_number,
    promo_code: row.promo_code,
    created_at: row.created_at,
    updated_at: row.updated_at,
    deleted_at: row.deleted_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The live pushed permit named by the request's reference id: 9009 when unknown, deleted or
 * another client's (the query is the client's only), 9002 when another integration's.
 */
async function ownedPermit(db: Kysely<DB>, caller: Caller, fields: Fields) {
  const referenceId = fields.text(PERMIT_FIELDS.referenceId, true);
  if (!UUID.test(referenceId)) throw new ApiError(9009, fields.nameOf(PERMIT_FIELDS.referenceId));
  const permit = await findPushedPermit(db, caller.client.clientId, referenceId.toLowerCase());
  if (permit === undefined || permit.deleted_at !== null) throw new ApiError(9009, fields.nameOf(PERMIT_FIELDS.referenceId));
  if (permit.integration_id !== caller.integrationId) throw new ApiError(9002);
  return permit;
}

/** permits/update: only the given attributes change; the result must still hold (end after start). */
export async function updatePermit(db: Kysely<DB>, caller: Caller, fields: Fields): Promise<PermitAnswer> {
  fields.text(PERMIT_FIELDS.referenceId, true);
  const plate = readPlate(fields, false);
  const amount = fields.amount(PERMIT_FIELDS.amount);
  const currency = readCurrency(fields);
  const end = fields.timestamp(PERMIT_FIELDS.endTime);
  const permit = await ownedPermit(db, caller, fields);

  const changes: PushedPermitChanges = {};
  if (plate !== undefined) Object.assign(changes, { plate: plate.plate, plate_norm: plate.plateNorm });
  if (amount !== undefined) changes.amount = amount;
  if (currency !== undefined) changes.currency = currency;
  if (end !== undefined) {
    const resolved = await resolveNewEnd(db, caller.client.clientId, permit.id, caller.client.inputTimeZone, end);
    if (!resolved.ordered) throw new ApiError(9005, fields.nameOf(PERMIT_FIELDS.endTime), { hint: END_AFTER_START_HINT });
    changes.end_at = resolved.end_at;
  }
  try {
    // A duplicate's unique violation ends this transaction; the look-up below runs outside it.
    const updated = await withChanges(db, caller.client.clientId, async (trx, emit) => {
      const row = await updatePushedPermit(trx, caller.client.clientId, permit.id, changes);
      if (row !== undefined) emit({ type: 'permit.updated', object: pushedPermitEvent(row) });
      return row;
    });
    if (updated === undefined) throw new ApiError(9009, fields.nameOf(PERMIT_FIELDS.referenceId));
    return answer(updated.reference_id);
  } catch (error) {
    if (!isUniqueViolation(error, 'pushed_permits_duplicate_key')) throw error;
    const existing = await findDuplicate(db, {
      clientId: caller.client.clientId,
      integrationId: caller.integrationId,
      plateNorm: changes.plate_norm ?? permit.plate_norm,
      startAt: permit.start_at,
      endAt: changes.end_at ?? permit.end_at,
      zoneName: permit.zone_name,
      permitNo: permit.permit_no,
    });
    throw existing === undefined ? new ApiError(9022) : duplicateError(existing);
  }
}

/** permits/delete: a soft delete; the permit stops counting at once. */
export async function deletePermit(db: Kysely<DB>, caller: Caller, fields: Fields): Promise<PermitAnswer> {
  const permit = await ownedPermit(db, caller, fields);
  const deleted = await withChanges(db, caller.client.clientId, async (trx, emit) => {
    const row = await softDeletePushedPermit(trx, caller.client.clientId, permit.id);
    if (row !== undefined) emit({ type: 'permit.deleted', object: pushedPermitEvent(row) });
    return row;
  });
  if (deleted === undefined) throw new ApiError(9009, fields.nameOf(PERMIT_FIELDS.referenceId));
  return answer(deleted.reference_id);
}

/** The most distinct zones one stats call may name: a longer list is refused with 9030. */
export const MAX_STATS_ZONES = 1000;

/** permits/stats: `zones` is a comma-delimited list, trimmed, matched case-insensitively. */
export async function stats(db: Kysely<DB>, caller: Caller, fields: Fields) {
  const zonesText = fields.text(PERMIT_FIELDS.zones);
  const zones =
    zonesText === undefined
      ? null
      : [
          ...new Set(
            zonesText
              .split(',')
              .map((zone) => zone.trim().toLowerCase())
              .filter((zone) => zone !== ''),
          ),
        ];
  if (zones !== null && zones.length > MAX_STATS_ZONES) throw new ApiError(9030, fields.nameOf(PERMIT_FIELDS.zones));
  const filter = zones === null || zones.length === 0 ? null : zones;
  const clientId = caller.client.clientId;
  const rows = await permitReads(db).stats.read(clientId, filter?.join('\u0000') ?? '', () => permitStats(db, clientId, filter));
  return { data: rows.map((row) => ({ type: row.type, zone: row.zone, total: row.total })) };
}

/** Exact decimal text (`"2897.87830"`) as the JSON number it names (2897.8783). */
function jsonNumber(text: string): number {
  return Number(text);
}

/** permits/lot-values: one row per lot, in the seed's key order, numbers as JSON numbers. */
export async function lotValueRows(db: Kysely<DB>, caller: Caller) {
  return clientLotValueRows(db, caller.client.clientId);
}

/** The rows of the lot value report of one client, for the integration API and the admin API alike. */
export async function clientLotValueRows(db: Kysely<DB>, clientId: number) {
  const rows = await permitReads(db).lotValues.read(clientId, '', () => lotValues(db, clientId));
  return rows.map((row) => ({
    lot_type: row.lot_type,
    lot_name: row.lot_name,
    default_cost: jsonNumber(row.default_cost),
    total_permits: Number(row.total_permits),
    rented_permits: Number(row.rented_permits),
    utilized_pct: row.utilized_pct === null ? null : jsonNumber(row.utilized_pct),
    amount_projected: jsonNumber(row.amount_projected),
    amount: jsonNumber(row.amount),
    tax_amount: jsonNumber(row.tax_amount),
    tax_amount1: jsonNumber(row.tax_amount1),
    tax_amount2: jsonNumber(row.tax_amount2),
    total: jsonNumber(row.total),
  }));
}
