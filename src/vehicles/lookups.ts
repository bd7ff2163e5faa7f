import type { Static } from '@sinclair/typebox';
import { sql, type Kysely, type Transaction } from 'kysely';
import { toPage } from '../admin/operation.js';
import { ApiError, InvalidInputError, ConflictError } from '../core/errors.js';
import type { DB, LookupKind } from '../db/schema.js';
import type { NewLookup } from './schemas.js';

type Entry = readonly [name: string, code?: string, country?: string];

const PROVINCES: readonly Entry[] = [
  ['Alberta', 'AB', 'CA'],
  ['British Columbia', 'BC', 'CA'],
  ['Manitoba', 'MB', 'CA'],
  ['New Brunswick', 'NB', 'CA'],
  ['Newfoundland and Labrador', 'NL', 'CA'],
  ['Northwest Territories', 'NT', 'CA'],
  ['Nova Scotia', 'NS', 'CA'],
  ['Nunavut', 'NU', 'CA'],
  ['Ontario', 'ON', 'CA'],
  ['Prince Edward Island', 'PE', 'CA'],
  ['Quebec', 'QC', 'CA'],
  ['Saskatchewan', 'SK', 'CA'],
  ['Yukon', 'YT', 'CA'],
  ...(
    [
      ['Alabama', 'AL'],
      ['Alaska', 'AK'],
      ['Arizona', 'AZ'],
      ['Arkansas', 'AR'],
      ['California', 'CA'],
      ['Colorado', 'CO'],
      ['Connecticut', 'CT'],
      ['Delaware', 'DE'],
      ['District of Columbia', 'DC'],
      ['Florida', 'FL'],
      ['Georgia', 'GA'],
      ['Hawaii', 'HI'],
      ['Idaho', 'ID'],
      ['Illinois', 'IL'],
      ['Indiana', 'IN'],
      ['Iowa', 'IA'],
      ['Kansas', 'KS'],
      ['Kentucky', 'KY'],
      ['Louisiana', 'LA'],
      ['Maine', 'ME'],
      ['Maryland', 'MD'],
      ['Massachusetts', 'MA'],
      ['Michigan', 'MI'],
      ['Minnesota', 'MN'],
      ['Mississippi', 'MS'],
      ['Missouri', 'MO'],
      ['Montana', 'MT'],
      ['Nebraska', 'NE'],
      ['Nevada', 'NV'],
      ['New Hampshire', 'NH'],
      ['New Jersey', 'NJ'],
      ['New Mexico', 'NM'],
      ['New York', 'NY'],
      ['North Carolina', 'NC'],
      ['North Dakota', 'ND'],
      ['Ohio', 'OH'],
      ['Oklahoma', 'OK'],
      ['Oregon', 'OR'],
      ['Pennsylvania', 'PA'],
      ['Rhode Island', 'RI'],
      ['South Carolina', 'SC'],
      ['South Dakota', 'SD'],
      ['Tennessee', 'TN'],
      ['Texas', 'TX'],
      ['Utah', 'UT'],
      ['Vermont', 'VT'],
      ['Virginia', 'VA'],
      ['Washington', 'WA'],
      ['West Virginia', 'WV'],
      ['Wisconsin', 'WI'],
      ['Wyoming', 'WY'],
    ] as const
  ).map(([name, code]) => [name, code, 'US'] as const),
];

/**
 * The lists every new client starts with. Their order gives the ids, chosen so that the
 * seed's collections sample (plate type 4 Passenger, province 9 Ontario, make 13 Chevrolet,
 * vehicle type 5 Compact, colour 14 Red) holds for any client.
 */
export const DEFAULT_LOOKUPS: Record<LookupKind, readonly Entry[]> = {
  plate_type: [
    ['Commercial', 'commercial'],
    ['Dealer', 'dealer'],
    ['Motorcycle', 'motorcycle'],
    ['Passenger', 'passenger'],
    ['Trailer', 'trailer'],
    ['Diplomatic', 'diplomatic'],
    ['Government', 'government'],
    ['Farm', 'farm'],
    ['Temporary', 'temporary'],
    ['Other', 'other'],
  ],
  province: PROVINCES,
  make: [
    ['Acura'],
    ['Audi'],
    ['BMW'],
    ['Buick'],
    ['Cadillac'],
    ['Chrysler'],
    ['Dodge'],
    ['Ford'],
    ['GMC'],
    ['Honda'],
    ['Hyundai'],
    ['Jeep'],
    ['Chevrolet'],
    ['Kia'],
    ['Lexus'],
    ['Mazda'],
    ['Mercedes-Benz'],
    ['Nissan'],
    ['Subaru'],
    ['Tesla'],
    ['Toyota'],
    ['Volkswagen'],
    ['Volvo'],
    ['Harley-Davidson'],
    ['Ram'],
  ],
  vehicle_type: [
    ['Sedan'],
    ['SUV'],
    ['Truck'],
    ['Van'],
    ['Compact'],
    ['Coupe'],
    ['Hatchback'],
    ['Minivan'],
    ['Motorcycle'],
    ['Convertible'],
    ['Wagon'],
    ['Bus'],
  ],
  colour: [
    ['Black'],
    ['Blue'],
    ['Brown'],
    ['Burgundy'],
    ['Gold'],
    ['Green'],
    ['Grey'],
    ['Orange'],
    ['Pink'],
    ['Purple'],
    ['Silver'],
    ['Tan'],
    ['Teal'],
    ['Red'],
    ['White'],
    ['Yellow'],
    ['Beige'],
  ],
};

/** Gives a new client its starting lookup lists. */
export async function seedLookups(db: Kysely<DB> | Transaction<DB>, clientId: number): Promise<void> {
  const rows = Object.entries(DEFAULT_LOOKUPS).flatMap(([kind, entries]) =>
    entries.map(([name, code, country], index) => ({
      client_id: clientId,
      kind: kind as LookupKind,
      id: index + 1,
      name,
      code: code ?? null,
      country: country ?? null,
    })),
  );
  await db.insertInto('lookups').values(rows).execute();
}

/** How each list is named to people: in push warnings and in admin messages. */
export const LOOKUP_LABELS: Record<LookupKind, string> = {
  plate_type: 'plate type',
  province: 'province',
  make: 'make',
  vehicle_type: 'type',
  colour: 'colour',
};

/** The longest name a lookup may have (the seed's limit for every name of vehicles/push). */
export const LOOKUP_NAME_MAX = 50;

export interface LookupRow {
  id: number;
  name: string;
  code: string | null;
  country: string | null;
}

const lookupColumns = ['id', 'name', 'code', 'country'] as const;

/** Advisory lock key per list: ids are the client's own (max + 1), so adding one is serialised per client and list. */
const LOCK_KEYS: Record<LookupKind, number> = { plate_type: 7316101, province: 7316102, make: 7316103, vehicle_type: 7316104, colour: 7316105 };

export async function listLookups(db: Kysely<DB>, clientId: number, kind: LookupKind, limit: number, cursor = 0) {
  const rows = await db
    .selectFrom('lookups')
    .select(lookupColumns)
    .where('client_id', '=', clientId)
    .where('kind', '=', kind)
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit);
}

export function findLookupById(db: Kysely<DB> | Transaction<DB>, clientId: number, kind: LookupKind, id: number): Promise<LookupRow | undefined> {
  return db.selectFrom('lookups').select(lookupColumns).where('client_id', '=', clientId).where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
}

/** A name matched case-insensitively; a province or state also by its postal code. */
export function findLookupByName(db: Kysely<DB> | Transaction<DB>, clientId: number, kind: LookupKind, name: string): Promise<LookupRow | undefined> {
  const key = name.toLowerCase();
  return db
    .selectFrom('lookups')
    .select(lookupColumns)
    .where('client_id', '=', clientId)
    .where('kind', '=', kind)
    .where((eb) => (kind === 'province' ? eb.or([eb(sql`lower(name)`, '=', key), eb(sql`lower(code)`, '=', key)]) : eb(sql`lower(name)`, '=', key)))
    .orderBy(sql`lower(name) = ${key}`, 'desc')
    .orderBy('id')
    .executeTakeFirst();
}

/**
 * Adds a name to a client's list, or returns the entry already holding it (case-insensitively),
 * so that two pushes adding the same new make at once end with one entry. Runs in the caller's
 * transaction: the entry is only kept if the caller's work commits.
 */
export async function addLookup(
  trx: Transaction<DB>,
  clientId: number,
  kind: LookupKind,
  entry: { name: string; code?: string | null; country?: string | null },
): Promise<{ row: LookupRow; added: boolean }> {
  await sql`select pg_advisory_xact_lock(${LOCK_KEYS[kind]}, ${clientId})`.execute(trx);
  const existing = await trx
    .selectFrom('lookups')
    .select(lookupColumns)
    .where('client_id', '=', clientId)
    .where('kind', '=', kind)
    .where(sql`lower(name)`, '=', entry.name.toLowerCase())
    .executeTakeFirst();
  if (existing !== undefined) return { row: existing, added: false };
  const row = await trx
    .insertInto('lookups')
    .values((eb) => ({
      client_id: clientId,
      kind,
      id: eb
        .selectFrom('lookups')
        .select(sql<number>`coalesce(max(id), 0) + 1`.as('next'))
        .where('client_id', '=', clientId)
        .where('kind', '=', kind),
      name: entry.name,
      code: entry.code ?? null,
      country: entry.country ?? null,
    }))
    .returning(lookupColumns)
    .executeTakeFirstOrThrow();
  return { row, added: true };
}

/** The operator adds an entry to a list (admin API and CLI); a name already there is a 409. */
export async function createLookup(db: Kysely<DB>, clientId: number, kind: LookupKind, input: Static<ReturnType<typeof NewLookup>>) {
  const name = input.name.trim();
  if (name === '' || [...name].length > LOOKUP_NAME_MAX) throw new InvalidInputError(`name must be 1-${LOOKUP_NAME_MAX} characters`, 'name');
  const code = input.code?.trim() || null;
  if (code !== null && code.length > 20) throw new InvalidInputError('code must be at most 20 characters', 'code');
  const country = input.country?.trim().toUpperCase() || null;
  if (country !== null && !/^[A-Z]{2}$/.test(country)) throw new InvalidInputError('country must be a two-letter country code', 'country');
  return db.transaction().execute(async (trx) => {
    const { row, added } = await addLookup(trx, clientId, kind, { name, code: kind === 'province' && code ? code.toUpperCase() : code, country });
    if (!added) throw new ConflictError(`the ${LOOKUP_LABELS[kind]} ${row.name} already exists (id ${row.id})`, 'name');
    return row;
  });
}

/** An id given under an id attribute (`makeID`): it must be in the client's list, else 9033 on that attribute. */
export async function requireLookupId(db: Kysely<DB> | Transaction<DB>, clientId: number, kind: LookupKind, id: number, field: string): Promise<LookupRow> {
  const row = await findLookupById(db, clientId, kind, id);
  if (row === undefined) throw new ApiError(9033, field);
  return row;
}
