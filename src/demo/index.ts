import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { clientCodeKey } from '../core/auth.js';
import type { DB } from '../db/schema.js';
import { createLot } from '../lots/service.js';
import { createOperator, usernameKey } from '../operators/service.js';
import { demoPermits } from '../permits/demo.js';
import { plateDemo } from '../plates/demo.js';
import { createLockerUserType, createUserType } from '../profiles/user-types.js';
import { createClient, createIntegration, createToken } from '../tenants/service.js';
import { demoUsersAndVehicles } from '../vehicles/demo.js';
import { violationDemo } from '../violations/demo.js';

export const DEMO_CLIENT_CODE = 'OC_TOMA';
export const DEMO_INTEGRATION = 'Demo pay station';

/** What every area's demo step gets: the demo client and its integration. */
export interface DemoContext {
  readonly clientId: number;
  readonly integrationId: number;
}

/** The seed's user types (Pull API: UserType), with the seed's ids. */
const SEED_USER_TYPES = [
  [1, 'Full Time Student', 'Student'],
  [6, 'Demo', 'Public'],
  [7, 'Full Time Staff', 'Staff'],
  [8, 'Part Time Staff', 'Staff'],
  [9, 'Part Time Student', 'Student'],
  [10, 'Exchange Student', 'Student'],
  [11, 'Athletics Member', 'Athletics'],
  [12, 'Complimentary', 'Public'],
  [13, 'Daily Reserved', 'Public'],
] as const;

/** The lots of the seed's Lot Value sample: type, name, default cost, permit capacity. */
const SEED_LOTS = [
  ['Y', 'TU Residence', 525, 20],
  ['M', 'TU Residence Visitors', 11, 0],
  ['S', 'TU Semester East', 100, 21],
  ['M', 'TU Semester Central', 125, 60],
  ['Y', 'TUSC Yearly Staff', 350, 10],
  ['Y', 'TUSC Yearly Executive', 0, 10],
  ['M', 'TU Visitors', 11, 0],
  ['M', 'Veritas Communications - All Lots', 165, 28],
  ['M', 'Veritas Communications - Complimentary', 0, 5],
  ['M', 'North Lot', 195, 0],
  ['M', 'Solus Tech Inc', 183, 15],
  ['M', 'Recreation Complex', 0, 0],
  ['M', 'Main Street Parking', 200, 20],
  ['O', 'Public Works', 0, 30],
  ['M', 'Mall Parking', 0, 0],
  ['M', 'Main Street Private Parking', 150, 200],
  ['M', 'TU South Garage', 75, 3000],
] as const;

/** The demo data of each area, run in order once when the demo client is created. */
const DEMO_STEPS: Array<(db: Kysely<DB>, context: DemoContext) => Promise<void>> = [demoUsersAndVehicles, demoPermits, plateDemo, violationDemo];

export const DEMO_CONSOLE_USERNAME = 'admin';

/**
 * The console's installation admin `admin`, created with a random password when there is no
 * such operator; the password is returned only then (only its hash is stored).
 */
async function ensureConsoleAdmin(db: Kysely<DB>): Promise<{ password: string | undefined }> {
  const existing = await db.selectFrom('operators').select('id').where('username_key', '=', usernameKey(DEMO_CONSOLE_USERNAME)).executeTakeFirst();
  if (existing !== undefined) return { password: undefined };
  const password = randomBytes(12).toString('base64url');
  await createOperator(db, { username: DEMO_CONSOLE_USERNAME, display_name: 'Administrator', role: 'admin', password });
  return { password };
}

/**
 * Creates the demo client OC_TOMA with its data on first run, and issues a fresh demo API
 * token on every run (tokens are stored hashed, so an earlier one cannot be shown again). The
 * console's admin operator is created with a random password when absent.
 */
export async function ensureDemo(
  db: Kysely<DB>,
): Promise<{ created: boolean; token: string; clientCode: string; console: { username: string; password: string | undefined } }> {
  const existing = await db.selectFrom('clients').select('client_id').where('code_key', '=', clientCodeKey(DEMO_CLIENT_CODE)).executeTakeFirst();
  let clientId: number;
  if (existing === undefined) {
    const client = await createClient(db, { code: DEMO_CLIENT_CODE, name: 'Tomahawk University (demo)' });
    clientId = client.id;
    for (const [id, typeName, extInfo] of SEED_USER_TYPES) await createUserType(db, clientId, { id, type_name: typeName, ext_info: extInfo });
    for (const [id, typeName] of [
      [1, 'Standard locker'],
      [2, 'Large locker'],
      [3, 'Accessible locker'],
    ] as const) {
      await createLockerUserType(db, clientId, { id, type_name: typeName });
    }
    for (const [lotType, name, cost, capacity] of SEED_LOTS) {
      await createLot(db, clientId, { name, lot_type: lotType, default_cost: cost, capacity, tax_rate1: 5, tax_rate2: 8 });
    }
    const integration = await createIntegration(db, clientId, { name: DEMO_INTEGRATION, origin: 'temp' });
    for (const step of DEMO_STEPS) await step(db, { clientId, integrationId: integration.id });
  } else {
    clientId = existing.client_id;
  }
  const token = await createToken(db, clientId, { integration: DEMO_INTEGRATION, scopes: 'all' });
  const consoleAdmin = await ensureConsoleAdmin(db);
  return {
    created: existing === undefined,
    token: token.token,
    clientCode: DEMO_CLIENT_CODE,
    console: { username: DEMO_CONSOLE_USERNAME, password: consoleAdmin.password },
  };
}
