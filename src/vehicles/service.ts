import type { Static } from '@sinclair/typebox';
import { sql, type Kysely, type Transaction } from 'kysely';
import { toPage } from '../admin/operation.js';
import { withChanges } from '../changes/log.js';
import type { ListOptions } from '../admin/schemas.js';
import { ApiError, isUniqueViolation, InvalidInputError, NotFoundError } from '../core/errors.js';
import { normalisePlate } from '../core/plates.js';
import type { DB, LookupKind } from '../db/schema.js';
import { LOOKUP_OF, type LookupChoice, type VehicleInput } from './fields.js';
import { LOOKUP_LABELS, addLookup, findLookupById, findLookupByName, requireLookupId } from './lookups.js';
import type { VehicleListQuery } from './schemas.js';

const DIGITS = /^\d{1,9}$/;

/**
 * Finds the list entry a lookup attribute names. A name that is all digits is read as an id
 * when the client's list has that id (the seed's raw example sends `"make":"8"`), else as a
 * name; an unknown name is added to the list with a warning.
 */
async function resolveLookup(trx: Transaction<DB>, clientId: number, kind: LookupKind, choice: LookupChoice, warnings: string[]): Promise<number> {
  const label = LOOKUP_LABELS[kind];
  if (choice.by === 'id') return (await requireLookupId(trx, clientId, kind, choice.id, choice.field)).id;
  if (choice.truncated) warnings.push(`The vehicle ${label} name was too long and has been truncated.`);
  if (DIGITS.test(choice.name)) {
    const byId = await findLookupById(trx, clientId, kind, Number(choice.name));
    if (byId !== undefined) return byId.id;
  }
  const found = await findLookupByName(trx, clientId, kind, choice.name);
  if (found !== undefined) return found.id;
  const { row, added } = await addLookup(trx, clientId, kind, { name: choice.name });
  if (added) warnings.push(`The vehicle ${label} ${choice.name} was not found and has been added.`);
  return row.id;
}

async function requireUsers(trx: Transaction<DB>, clientId: number, userIds: readonly number[], field: string): Promise<void> {
  if (userIds.length === 0) return;
  const found = await trx
    .selectFrom('users')
    .select('id')
    .where('client_id', '=', clientId)
    .where((eb) => eb('id', '=', eb.fn.any(eb.val([...userIds]))))
    .execute();
  const known = new Set(found.map((row) => row.id));
  const missing = userIds.find((id) => !known.has(id));
  if (missing !== undefined) throw new InvalidInputError(`no user ${missing} for this client`, field);
}

/**
 * Creates a vehicle from checked input: resolves (and extends) the lookup lists, refuses a
 * plate and province already on file (9012, also when two pushes race: the unique index
 * decides), and links the given drivers. All of it commits together or not at all.
 */
export async function createVehicle(
  db: Kysely<DB>,
  clientId: number,
  input: VehicleInput,
  driverUserIds: readonly number[] = [],
): Promise<{ id: number; warnings: string[] }> {
  const plateNorm = normalisePlate(input.plate);
  if (plateNorm === '') throw new ApiError(9033, 'plate');
  try {
    // The lookups' advisory locks need a transaction's handle; the changes are written in it.
    return await db.transaction().execute((trx) =>
      withChanges(trx, clientId, async (_sameTrx, emit) => {
        const warnings: string[] = [];
        const ids: Partial<Record<keyof typeof LOOKUP_OF, number>> = {};
        for (const key of Object.keys(LOOKUP_OF) as Array<keyof typeof LOOKUP_OF>) {
          const choice = input[key];
          if (choice !== undefined) ids[key] = await resolveLookup(trx, clientId, LOOKUP_OF[key], choice, warnings);
        }
        if (input.vin?.truncated) warnings.push('The vehicle VIN was too long and has been truncated.');
        const duplicate = await trx
          .selectFrom('vehicles')
          .select('id')
          .where('client_id', '=', clientId)
          .where('plate_norm', '=', plateNorm)
          .where('province_id', '=', ids.province!)
          .executeTakeFirst();
        if (duplicate !== undefined) throw new ApiError(9012, 'plate');
        const uniqueDrivers = [...new Set(driverUserIds)];
        await requireUsers(trx, clientId, uniqueDrivers, 'driver_user_ids');
        const vehicle = await trx
          .insertInto('vehicles')
          .values({
            client_id: clientId,
            plate: input.plate,
            plate_norm: plateNorm,
            plate_type_id: ids.plateType!,
            province_id: ids.province!,
            make_id: ids.make ?? null,
            vehicle_type_id: ids.vehicleType ?? null,
            colour_id: ids.colour ?? null,
            year: input.year ?? null,
            vin: input.vin?.value ?? null,
            alert: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (uniqueDrivers.length > 0) {
          await trx
            .insertInto('vehicle_drivers')
            .values(uniqueDrivers.map((userId) => ({ client_id: clientId, vehicle_id: vehicle.id, user_id: userId })))
            .execute();
        }
        emit({ type: 'vehicle.created', object: await vehicleQuery(trx, clientId).where('v.id', '=', vehicle.id).executeTakeFirstOrThrow() });
        return { id: vehicle.id, warnings };
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error, 'vehicles_plate_key')) throw new ApiError(9012, 'plate');
    throw error;
  }
}

/** Links a user to a vehicle as one of its drivers (linking twice is harmless, and no change). */
export async function addDriver(db: Kysely<DB>, clientId: number, vehicleId: number, userId: number) {
  await withChanges(db, clientId, async (trx, emit) => {
    const vehicle = await trx.selectFrom('vehicles').select('id').where('client_id', '=', clientId).where('id', '=', vehicleId).executeTakeFirst();
    if (vehicle === undefined) throw new NotFoundError(`no vehicle ${vehicleId} for this client`, 'id');
    const user = await trx.selectFrom('users').select('id').where('client_id', '=', clientId).where('id', '=', userId).executeTakeFirst();
    if (user === undefined) throw new NotFoundError(`no user ${userId} for this client`, 'user_id');
    const linked = await trx
      .insertInto('vehicle_drivers')
      .values({ client_id: clientId, vehicle_id: vehicleId, user_id: userId })
      .onConflict((oc) => oc.columns(['client_id', 'vehicle_id', 'user_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (linked !== undefined)
      emit({ type: 'vehicle.updated', object: await vehicleQuery(trx, clientId).where('v.id', '=', vehicleId).executeTakeFirstOrThrow() });
  });
  return showVehicle(db, clientId, vehicleId);
}

/** A vehicle as the operator sees it: its lookups by id and name, and its drivers. */
function vehicleQuery(db: Kysely<DB>, clientId: number) {
  return db
    .selectFrom('vehicles as v')
    .leftJoin('lookups as pt', (j) => j.onRef('pt.client_id', '=', 'v.client_id').on('pt.kind', '=', 'plate_type').onRef('pt.id', '=', 'v.plate_type_id'))
    .leftJoin('lookups as pr', (j) => j.onRef('pr.client_id', '=', 'v.client_id').on('pr.kind', '=', 'province').onRef('pr.id', '=', 'v.province_id'))
    .leftJoin('lookups as mk', (j) => j.onRef('mk.client_id', '=', 'v.client_id').on('mk.kind', '=', 'make').onRef('mk.id', '=', 'v.make_id'))
    .leftJoin('lookups as vt', (j) => j.onRef('vt.client_id', '=', 'v.client_id').on('vt.kind', '=', 'vehicle_type').onRef('vt.id', '=', 'v.vehicle_type_id'))
    .leftJoin('lookups as co', (j) => j.onRef('co.client_id', '=', 'v.client_id').on('co.kind', '=', 'colour').onRef('co.id', '=', 'v.colour_id'))
    .where('v.client_id', '=', clientId)
    .select([
      'v.id',
      'v.plate',
      'v.plate_norm',
      'v.plate_type_id',
      'pt.name as plate_type',
      'v.province_id',
      'pr.name as province',
      'pr.code as province_code',
      'v.make_id',
      'mk.name as make',
      'v.vehicle_type_id',
      'vt.name as vehicle_type',
      'v.colour_id',
      'co.name as colour',
      'v.year',
      'v.vin',
      'v.alert',
      sql<
        number[]
      >`coalesce((select array_agg(d.user_id order by d.user_id) from vehicle_drivers d where d.client_id = v.client_id and d.vehicle_id = v.id), '{}')`.as(
        'driver_user_ids',
      ),
      'v.created_at',
      'v.updated_at',
    ]);
}

export async function showVehicle(db: Kysely<DB>, clientId: number, vehicleId: number) {
  const row = await vehicleQuery(db, clientId).where('v.id', '=', vehicleId).executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`no vehicle ${vehicleId} for this client`, 'id');
  return row;
}

export async function listVehicles(db: Kysely<DB>, clientId: number, options: ListOptions<Static<typeof VehicleListQuery>>) {
  const rows = await vehicleQuery(db, clientId)
    .where('v.id', '>', options.cursor ?? 0)
    .$if(options.plate !== undefined, (q) => q.where('v.plate_norm', '=', normalisePlate(options.plate!)))
    .orderBy('v.id')
    .limit(options.limit + 1)
    .execute();
  return toPage(rows, options.limit);
}
