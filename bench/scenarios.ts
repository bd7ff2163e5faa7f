/**
 * What the bench drives: one entry per endpoint, written against docs/api.md. Adding an
 * endpoint to the bench is adding an entry here (and, if it needs rows on file, a few lines in
 * dataset.ts). A scenario whose route the server does not have yet is reported as "route not
 * available".
 */

/** What the load process knows about the loaded data set. */
export interface BenchContext {
  readonly client: string;
  readonly token: string;
  /** Plates with a permit valid now. */
  readonly validPlates: readonly string[];
  /** Plates on file whose permits have all expired. */
  readonly expiredPlates: readonly string[];
  /** Reference ids of live pushed permits of the bench integration that started over a day ago. */
  readonly referenceIds: readonly string[];
  /** Zone names (lot names) configured for the client. */
  readonly zones: readonly string[];
  /** The Genetec ZoneId (lot id) of the lot holding the data set's `genetecZonePermits` permits valid now. */
  readonly genetecZone: string;
}

export interface Scenario {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  path(context: BenchContext): string;
  /** A request body; called once per request so bodies vary (plates, unique ids). */
  body(context: BenchContext): Record<string, unknown>;
  /** Driven under load (default), or timed once (collections export empties its queue). */
  readonly mode?: 'load' | 'once';
  /** Request headers besides the JSON content type. */
  headers?(context: BenchContext): Record<string, string>;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const randomId = (length: number) => {
  let text = '';
  while (text.length < length) text += Math.random().toString(36).slice(2).toUpperCase();
  return text.slice(0, length);
};
/** The plate with its last confusable character read as another of its class (8 for B, 0 for O, …). */
const MISREADS: Readonly<Record<string, string>> = {
  '1': 'I',
  I: '1',
  '2': 'Z',
  Z: '2',
  '3': '8',
  '8': 'B',
  B: '8',
  '5': 'S',
  S: '5',
  '0': 'O',
  O: '0',
  D: '0',
};
const misread = (plate: string) => {
  for (let at = plate.length - 1; at >= 0; at--) {
    const as = MISREADS[plate.charAt(at)];
    if (as !== undefined) return `${plate.slice(0, at)}${as}${plate.slice(at + 1)}`;
  }
  return plate;
};
/** `YYYY-MM-DDTHH:MM:SS` (the seed's form; read in the client's input time zone, UTC here). */
const wallClock = (date: Date) => date.toISOString().slice(0, 19);

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'profiles/types/list',
    method: 'POST',
    path: (c) => `/api/${c.client}/v1/profiles/types/list`,
    body: (c) => ({ apiToken: c.token }),
  },
  {
    // Handhelds and cameras read every plate: about 40 % with a valid permit, 30 % on file with
    // expired ones only, 30 % never seen.
    name: 'validate/plate',
    method: 'POST',
    path: () => '/api/v1/validate/plate',
    body: (c) => {
      const roll = Math.random();
      const plate =
        roll < 0.4 && c.validPlates.length > 0 ? pick(c.validPlates) : roll < 0.7 && c.expiredPlates.length > 0 ? pick(c.expiredPlates) : `Z${randomId(6)}`;
      return { api_token: c.token, client: c.client, plate };
    },
  },
  {
    // Appeals: the same plates as of a moment of the last 30 days (docs/api.md#as-of-validation).
    name: 'validate/plate as-of',
    method: 'POST',
    path: () => '/api/v1/validate/plate',
    body: (c) => {
      const plate = Math.random() < 0.7 && c.validPlates.length > 0 ? pick(c.validPlates) : `Z${randomId(6)}`;
      return { api_token: c.token, client: c.client, plate, at: wallClock(new Date(Date.now() - Math.random() * 30 * 86_400_000)) };
    },
  },
  {
    // A Genetec Pay-by-Plate Sync full download of one zone (docs/genetec.md), timed alone.
    name: 'genetec zone download',
    method: 'GET',
    mode: 'once',
    path: (c) => `/api/pbp/v2014-06/zones/${c.genetecZone}/permits`,
    body: () => ({}),
    headers: (c) => ({ 'x-apikey': c.token }),
  },
  {
    // The same reads with the misread-tolerant lookup: half of them a plate on file misread
    // (a confusable character swapped, or one character dropped), the rest as above.
    name: 'validate/plate fuzzy',
    method: 'POST',
    path: () => '/api/v1/validate/plate',
    body: (c) => {
      const roll = Math.random();
      const onFile = c.validPlates.length > 0 ? pick(c.validPlates) : `Z${randomId(6)}`;
      const plate = roll < 0.25 ? misread(onFile) : roll < 0.5 ? onFile.slice(0, -1) : roll < 0.7 ? onFile : `Z${randomId(6)}`;
      return { api_token: c.token, client: c.client, plate, fuzzy: true };
    },
  },
  {
    name: 'permits/push',
    method: 'POST',
    path: (c) => `/api/${c.client}/v1/permits/push`,
    body: (c) => {
      const start = new Date();
      return {
        apiToken: c.token,
        plate: `B${randomId(7)}`,
        startTime: wallClock(start),
        endTime: wallClock(new Date(start.getTime() + 2 * 3600_000)),
        zone: pick(c.zones),
        amount: '5.00',
        currency: 'CAD',
      };
    },
  },
  {
    name: 'permits/update',
    method: 'POST',
    path: (c) => `/api/${c.client}/v1/permits/update`,
    body: (c) => ({
      apiToken: c.token,
      referenceID: pick(c.referenceIds),
      endTime: wallClock(new Date(Date.now() + (1 + Math.floor(Math.random() * 48)) * 3600_000)),
    }),
  },
  {
    name: 'permits/stats',
    method: 'POST',
    path: (c) => `/api/${c.client}/v1/permits/stats`,
    body: (c) => ({ apiToken: c.token }),
  },
  {
    // Documented as a GET carrying a JSON body.
    name: 'permits/lot-values',
    method: 'GET',
    path: (c) => `/api/${c.client}/v1/permits/lot-values`,
    body: (c) => ({ apiToken: c.token }),
  },
  {
    name: 'vehicles/push',
    method: 'POST',
    path: (c) => `/api/${c.client}/v1/vehicles/push`,
    body: (c) => ({ apiToken: c.token, plate: `V${randomId(7)}`, plateType: 'Passenger', prov: 'ON', make: 'Chevrolet', colour: 'Red', year: '2019' }),
  },
  {
    name: 'profiles/push',
    method: 'POST',
    path: (c) => `/api/${c.client}/v1/profiles/push`,
    body: (c) => {
      const id = randomId(12);
      return {
        apiToken: c.token,
        unique_id: `N${id}`,
        login_source: 'OPSCOM',
        email: `n${id.toLowerCase()}@bench.example`,
        first_name: 'Bench',
        last_name: `User ${id}`,
      };
    },
  },
  {
    name: 'violations/send_overdue_to_collections',
    method: 'POST',
    mode: 'once',
    path: (c) => `/api/${c.client}/v1/violations/send_overdue_to_collections`,
    body: (c) => ({ apiToken: c.token }),
  },
];

export function scenario(name: string): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no bench scenario ${name}`);
  return found;
}
