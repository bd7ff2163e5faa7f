import type { Kysely } from 'kysely';
import { readClient } from '../core/auth.js';
import { Fields } from '../core/fields.js';
import type { DB } from '../db/schema.js';
import type { DemoContext } from '../demo/index.js';
import { createLot } from '../lots/service.js';
import { pushPermit } from './service.js';
import { createPermitType, createStandardPermit } from './standard.js';

const DAY_MS = 86_400_000;

/** Permit types of the demo: one per lot sold in the seed's Lot Value sample. */
const PERMIT_TYPES = [
  ['SEM-EAST', 'TU Semester East'],
  ['SEM-CENTRAL', 'TU Semester Central'],
  ['VERITAS', 'Veritas Communications - All Lots'],
  ['SOLUS', 'Solus Tech Inc'],
  ['GARAGE', 'TU South Garage'],
] as const;

/**
 * Standard permits whose sums reproduce the seed's Lot Value sample exactly: e.g. 16 × 170.00
 * and one 177.8783 in TU Semester East make 17 rented, 2897.8783, taxes 144.89392 and
 * 231.83026 at 5 % and 8 %, total 3274.6.
 */
const STANDARD_PERMITS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['SEM-EAST', [...Array<string>(16).fill('170.00'), '177.8783']],
  ['SEM-CENTRAL', ['100.00', '100.00', '113.08447']],
  ['VERITAS', ['165.00', '165.00']],
  ['SOLUS', ['183.00', '183.00']],
  ['GARAGE', ['75.00', '75.00']],
];

/** `Y-m-d\TH:i:s` in UTC, the demo client's input time zone. */
function pushTime(at: Date): string {
  return at.toISOString().slice(0, 19);
}

/**
 * The permits of the demo client: standard permits valid now in the seed's lots, and pushed
 * permits (by the demo integration) in `Lot 4`, the seed's push example zone, and in a zone
 * that matches no lot, so stats, lot values and the disconnected list show something at once.
 */
export async function demoPermits(db: Kysely<DB>, { clientId, integrationId }: DemoContext): Promise<void> {
  const lot4 = await db.selectFrom('lots').select('id').where('client_id', '=', clientId).where('name', '=', 'Lot 4').executeTakeFirst();
  if (lot4 === undefined) await createLot(db, clientId, { name: 'Lot 4', lot_type: 'O', default_cost: 0, capacity: 40, tax_rate1: 5, tax_rate2: 8 });
  for (const [shortName, lot] of PERMIT_TYPES) await createPermitType(db, clientId, { short_name: shortName, lot });

  const now = Date.now();
  const start = new Date(now - 30 * DAY_MS).toISOString();
  const end = new Date(now + 120 * DAY_MS).toISOString();
  let serial = 100;
  for (const [permitType, amounts] of STANDARD_PERMITS) {
    for (const amount of amounts) {
      serial += 1;
      await createStandardPermit(db, clientId, { permit_type: permitType, plates: [`TU ${serial}`], start, end, amount });
    }
  }

  const client = await readClient(db, 'client_id', clientId);
  if (client === undefined) throw new Error(`the demo client ${clientId} is not in the database`);
  const pushes = [
    { Amount: '14.50', CurrencyID: 'CAD', LicencePlate: 'PL8RDR', zone: 'Lot 4', permitNo: 'L4-1138', promoCode: 'DISCOUNT20' },
    { Amount: '9.75', LicencePlate: 'CDN 442', zone: 'lot 4 ', permitNo: 'L4-1139' },
    { Amount: '6.00', LicencePlate: 'XYZ-789', zone: 'Lot 9 (Annex)', permitNo: 'L9-0042' },
  ];
  for (const push of pushes) {
    await pushPermit(
      db,
      { client, integrationId },
      new Fields({ ...push, startTime: pushTime(new Date(now - 3_600_000)), endTime: pushTime(new Date(now + 8 * 3_600_000)) }),
    );
  }
}
