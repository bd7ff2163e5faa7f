import type { Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Caller } from '../core/auth.js';
import { ApiError } from '../core/errors.js';
import { MAX_ID } from '../core/fields.js';
import { normalisePlate } from '../core/plates.js';
import type { DB } from '../db/schema.js';
import { listZones, selectPermits, zoneExists, type ZonedPermit } from './repository.js';
import type { IsValidBody, Permit, PermitResults, SearchAnswer, SearchBody } from './schemas.js';

/**
 * The Genetec AutoVu Pay-by-Plate Sync provider face (docs/genetec.md): the client's lots are
 * its zones, its pushed and standard permits its permits, its change log the source of the
 * continuation tokens.
 */

/** `pc1.<client id>.<change log sequence number>`: the client's log position the answer reflects. */
const TOKEN = /^pc1\.(\d{1,10})\.(\d{1,19})$/;

function continuationToken(caller: Caller, seq: bigint): string {
  return `pc1.${caller.client.clientId}.${seq}`;
}

function badToken(hint: string): ApiError {
  return new ApiError(9033, 'continuationToken', { hint });
}

/** The sequence number a token of this client names; 400 for anything else. */
function readToken(caller: Caller, token: string): bigint {
  const match = TOKEN.exec(token);
  if (match === null) throw badToken('the continuation token is not one this server gave');
  if (Number(match[1]) !== caller.client.clientId) throw badToken('the continuation token was given to another client');
  return BigInt(match[2] ?? '0');
}

/** A zone id as a lot id, or undefined when it cannot name one. */
function lotId(zoneId: string): number | undefined {
  if (!/^\d{1,10}$/.test(zoneId)) return undefined;
  const id = Number(zoneId);
  return id >= 1 && id <= MAX_ID ? id : undefined;
}

/** The lots named by `ZoneIds`; null (every lot) when the list is absent or empty. */
function lotIds(zoneIds: readonly string[] | undefined): number[] | null {
  if (zoneIds === undefined || zoneIds.length === 0) return null;
  return zoneIds.flatMap((zoneId) => {
    const id = lotId(zoneId);
    return id === undefined ? [] : [id];
  });
}

function withoutZone({ ZoneId: _zone, ...permit }: ZonedPermit): Static<typeof Permit> {
  return permit;
}

/** GET zones: the client's lots. */
export async function zones(db: Kysely<DB>, caller: Caller) {
  const lots = await listZones(db, caller.client.clientId);
  return lots.map((lot) => ({ ZoneId: String(lot.id), Name: lot.name }));
}

/**
 * GET zones/{zoneId}/permits: without a token the zone's permits valid now; with one, the zone's
 * permits changed since it (a token older than the log keeps answers a full download).
 */
export async function zonePermits(db: Kysely<DB>, caller: Caller, zoneId: string, token: string | undefined): Promise<Static<typeof PermitResults>> {
  const clientId = caller.client.clientId;
  const lot = lotId(zoneId);
  if (lot === undefined || !(await zoneExists(db, clientId, lot))) throw new ApiError(9009, 'zoneId', { hint: `no zone ${zoneId}: GET zones lists them` });
  const after = token === undefined ? null : readToken(caller, token);
  let snapshot = await selectPermits(db, clientId, { lotIds: [lot], plates: null, changedAfter: after });
  if (after !== null && after > snapshot.lastSeq) throw badToken('the continuation token names a point the log has not reached');
  if (after !== null && after < snapshot.prunedThrough) snapshot = await selectPermits(db, clientId, { lotIds: [lot], plates: null, changedAfter: null });
  return { ContinuationToken: continuationToken(caller, snapshot.lastSeq), Permits: snapshot.permits.map(withoutZone) };
}

/** POST permits/search: the permits valid now of the plates, by zone; 404 when none. */
export async function searchPermits(db: Kysely<DB>, caller: Caller, body: Static<typeof SearchBody>): Promise<Static<typeof SearchAnswer>> {
  const plates = [...new Set(body.PlateNumbers.map(normalisePlate).filter((plate) => plate !== ''))];
  const lots = lotIds(body.ZoneIds);
  const { permits } =
    plates.length === 0 || lots?.length === 0 ? { permits: [] } : await selectPermits(db, caller.client.clientId, { lotIds: lots, plates, changedAfter: null });
  if (permits.length === 0) throw new ApiError(9009, undefined, { hint: 'no permit valid now matches these plates in these zones' });
  const byZone = new Map<string, Array<Static<typeof Permit>>>();
  for (const permit of permits) {
    const zone = byZone.get(permit.ZoneId) ?? [];
    zone.push(withoutZone(permit));
    byZone.set(permit.ZoneId, zone);
  }
  return { PermitZones: [...byZone].map(([ZoneId, zonePermits]) => ({ ZoneId, Permits: zonePermits })) };
}

/** POST isvalid: whether the plate has a permit valid now in one of the zones. */
export async function isValid(db: Kysely<DB>, caller: Caller, body: Static<typeof IsValidBody>) {
  const plate = normalisePlate(body.PlateNumber);
  const lots = lotIds(body.ZoneIds);
  if (plate === '' || lots?.length === 0) return { IsValid: false };
  const { permits } = await selectPermits(db, caller.client.clientId, { lotIds: lots, plates: [plate], changedAfter: null });
  return { IsValid: permits.length > 0 };
}
