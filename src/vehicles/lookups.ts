import type { Kysely, Transaction } from 'kysely';
import type { DB, LookupKind } from '../db/schema.js';

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
      ['Alabama', 'AL'], ['Alaska', 'AK'], ['Arizona', 'AZ'], ['Arkansas', 'AR'], ['California', 'CA'],
      ['Colorado', 'CO'], ['Connecticut', 'CT'], ['Delaware', 'DE'], ['District of Columbia', 'DC'],
      ['Florida', 'FL'], ['Georgia', 'GA'], ['Hawaii', 'HI'], ['Idaho', 'ID'], ['Illinois', 'IL'],
      ['Indiana', 'IN'], ['Iowa', 'IA'], ['Kansas', 'KS'], ['Kentucky', 'KY'], ['Louisiana', 'LA'],
      ['Maine', 'ME'], ['Maryland', 'MD'], ['Massachusetts', 'MA'], ['Michigan', 'MI'], ['Minnesota', 'MN'],
      ['Mississippi', 'MS'], ['Missouri', 'MO'], ['Montana', 'MT'], ['Nebraska', 'NE'], ['Nevada', 'NV'],
      ['New Hampshire', 'NH'], ['New Jersey', 'NJ'], ['New Mexico', 'NM'], ['New York', 'NY'],
      ['North Carolina', 'NC'], ['North Dakota', 'ND'], ['Ohio', 'OH'], ['Oklahoma', 'OK'], ['Oregon', 'OR'],
      ['Pennsylvania', 'PA'], ['Rhode Island', 'RI'], ['South Carolina', 'SC'], ['South Dakota', 'SD'],
      ['Tennessee', 'TN'], ['Texas', 'TX'], ['Utah', 'UT'], ['Vermont', 'VT'], ['Virginia', 'VA'],
      ['Washington', 'WA'], ['West Virginia', 'WV'], ['Wisconsin', 'WI'], ['Wyoming', 'WY'],
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
    ['Commercial', 'commercial'], ['Dealer', 'dealer'], ['Motorcycle', 'motorcycle'], ['Passenger', 'passenger'],
    ['Trailer', 'trailer'], ['Diplomatic', 'diplomatic'], ['Government', 'government'], ['Farm', 'farm'],
    ['Temporary', 'temporary'], ['Other', 'other'],
  ],
  province: PROVINCES,
  make: [
    ['Acura'], ['Audi'], ['BMW'], ['Buick'], ['Cadillac'], ['Chrysler'], ['Dodge'], ['Ford'], ['GMC'], ['Honda'],
    ['Hyundai'], ['Jeep'], ['Chevrolet'], ['Kia'], ['Lexus'], ['Mazda'], ['Mercedes-Benz'], ['Nissan'], ['Subaru'],
    ['Tesla'], ['Toyota'], ['Volkswagen'], ['Volvo'], ['Harley-Davidson'], ['Ram'],
  ],
  vehicle_type: [
    ['Sedan'], ['SUV'], ['Truck'], ['Van'], ['Compact'], ['Coupe'], ['Hatchback'], ['Minivan'], ['Motorcycle'],
    ['Convertible'], ['Wagon'], ['Bus'],
  ],
  colour: [
    ['Black'], ['Blue'], ['Brown'], ['Burgundy'], ['Gold'], ['Green'], ['Grey'], ['Orange'], ['Pink'], ['Purple'],
    ['Silver'], ['Tan'], ['Teal'], ['Red'], ['White'], ['Yellow'], ['Beige'],
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
