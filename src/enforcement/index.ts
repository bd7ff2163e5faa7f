import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { CHANGES_CHANNEL } from '../changes/log.js';
import { normalisePlate } from '../core/plates.js';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { writeWatchOf, type WriteWatch } from '../db/write-watch.js';
import type { DnttFound, PermitFound, PlateFindings } from '../plates/repository.js';
import { fuzzyMatches, hasEdit, plateKey, plateKeyUnits, type PlateChange, type PlateKeys } from './fuzzy.js';
import { localText } from './local-time.js';
import {
  EVENT_PAGE,
  readCursors,
  readDntt,
  readDrivers,
  readEvents,
  readOrigins,
  readPushedPages,
  readStandard,
  readUserAlerts,
  readVehicles,
  type PermitWindow,
} from './repository.js';

/**
 * The in-memory enforcement index (docs/enforcement.md#the-enforcement-index): per client, what
 * plate validation answers from, kept current from the change log, so that a validation makes
 * no database round trip.
 */

const HOUR_MS = 3_600_000;
/** Permits are held from their start up to this far ahead of the last refill. */
export const HORIZON_MS = 24 * HOUR_MS;
/** How often the horizon moves (and expired entries are dropped); the index stays exact for HORIZON_MS - this. */
export const REFILL_INTERVAL_MS = 10 * 60_000;
/** After a failed first load (the database unreachable at start), the next attempt comes this much later. */
const LOAD_RETRY_MS = 1_000;
/** How often the index looks at the counters, whatever notifications said. */
export const CATCH_UP_INTERVAL_MS = 500;

/** The type of a standard permit in an answer; a pushed permit's is its integration's origin. */
const STANDARD = 'standard';

interface PermitEntry {
  readonly start: number;
  readonly end: number;
  /** The pushing integration (its origin is the type), or 0 for a standard permit. */
  readonly integrationId: number;
  readonly shortName: string;
  /** The plate (pushed) or plates (standard: its vehicles' and its own) it is filed under. */
  readonly plates: PlateEntry | PlateEntry[];
}

interface DnttEntry {
  readonly id: number;
  readonly plate: PlateEntry;
  readonly start: number;
  readonly end: number;
  readonly location: string;
  readonly notes: string;
}

interface VehicleEntry {
  readonly plate: PlateEntry;
  alert: string | null;
  /** Its drivers' user ids, ascending. */
  drivers: number[];
}

/** Everything on file under one normalised plate; dropped when nothing is left. */
interface PlateEntry {
  readonly plate: string;
  permits: PermitEntry[] | undefined;
  dntt: DnttEntry[] | undefined;
  /** Vehicle ids with this plate, ascending. */
  vehicles: number[] | undefined;
}

/** One fuzzy candidate: a plate on file, the changes from the read, and its own answer. */
export interface PlateCandidate {
  readonly plate: string;
  readonly changes: PlateChange[];
  readonly findings: PlateFindings;
}

const MAX_CANDIDATES = 5;

function insertSorted(list: number[], value: number): void {
  let at = list.length;
  while (at > 0 && (list[at - 1] ?? 0) > value) at--;
  if (list[at - 1] !== value) list.splice(at, 0, value);
}

function removeItem<T>(list: T[] | undefined, item: T): void {
  if (list === undefined) return;
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}

/** PostgreSQL's order for text under the C collation: by code point (JS compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** PostgreSQL's `btrim(text) <> ''`: blank means spaces only (tabs and newlines are content). */
function hasContent(text: string | null | undefined): text is string {
  return text !== null && text !== undefined && !/^ *$/.test(text);
}

/** One client's part of the index. */
class ClientIndex implements PlateKeys<PlateEntry> {
  seq = 0;
  origins = new Map<number, string>();
  readonly pushed = new Map<string, PermitEntry>();
  readonly standard = new Map<number, PermitEntry>();
  readonly dntt = new Map<number, DnttEntry>();
  readonly vehicles = new Map<number, VehicleEntry>();
  readonly userAlerts = new Map<number, string>();
  readonly plates = new Map<string, PlateEntry>();
  readonly byKey = new Map<number, PlateEntry | PlateEntry[]>();
  readonly keyUnits = new Set<number>();

  plateOf(entry: PlateEntry): string {
    return entry.plate;
  }

  private entryFor(plate: string): PlateEntry {
    let entry = this.plates.get(plate);
    if (entry !== undefined) return entry;
    entry = { plate, permits: undefined, dntt: undefined, vehicles: undefined };
    this.plates.set(plate, entry);
    const key = plateKey(plate);
    for (const unit of plateKeyUnits(plate)) this.keyUnits.add(unit);
    const sharing = this.byKey.get(key);
    this.byKey.set(key, sharing === undefined ? entry : Array.isArray(sharing) ? [...sharing, entry] : [sharing, entry]);
    return entry;
  }

  /** Forgets a plate with nothing left on file. */
  private release(entry: PlateEntry): void {
    if (entry.permits?.length || entry.dntt?.length || entry.vehicles?.length) return;
    this.plates.delete(entry.plate);
    const key = plateKey(entry.plate);
    const sharing = this.byKey.get(key);
    if (sharing === entry) this.byKey.delete(key);
    else if (Array.isArray(sharing)) {
      const rest = sharing.filter((other) => other !== entry);
      this.byKey.set(key, rest.length === 1 && rest[0] !== undefined ? rest[0] : rest);
    }
  }

  private attachPermit(permit: PermitEntry): void {
    // A literal, not push on an empty array: push reserves room for 17.
    for (const plate of Array.isArray(permit.plates) ? permit.plates : [permit.plates]) {
      if (plate.permits === undefined) plate.permits = [permit];
      else plate.permits.push(permit);
    }
  }

  /** One string per distinct short name (zones repeat across thousands of permits). */
  private readonly names = new Map<string, string>();
  private interned(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    this.names.set(name, name);
    return name;
  }

  private detachPermit(permit: PermitEntry | undefined): void {
    if (permit === undefined) return;
    for (const plate of Array.isArray(permit.plates) ? permit.plates : [permit.plates]) {
      removeItem(plate.permits, permit);
      if (plate.permits?.length === 0) plate.permits = undefined;
      this.release(plate);
    }
  }

  putPushed(referenceId: string, permit: { plate: string; start: number; end: number; integrationId: number; shortName: string } | undefined, now: number) {
    this.detachPermit(this.pushed.get(referenceId));
    this.pushed.delete(referenceId);
    if (permit === undefined || permit.end <= now) return;
    const entry: PermitEntry = {
      start: permit.start,
      end: permit.end,
      integrationId: permit.integrationId,
      shortName: this.interned(permit.shortName),
      plates: this.entryFor(permit.plate),
    };
    this.pushed.set(referenceId, entry);
    this.attachPermit(entry);
  }

  putStandard(
    id: number,
    permit: { vehicleIds: readonly number[]; plates: readonly string[]; start: number; end: number; shortName: string } | undefined,
    now: number,
  ) {
    this.detachPermit(this.standard.get(id));
    this.standard.delete(id);
    if (permit === undefined || permit.end <= now) return;
    // A plate covered twice (a vehicle's and a listed plate, two vehicles sharing one) is one.
    const plates = new Set(permit.plates);
    for (const vehicleId of permit.vehicleIds) {
      const vehicle = this.vehicles.get(vehicleId);
      if (vehicle !== undefined) plates.add(vehicle.plate.plate);
    }
    const entries = [...plates].map((plate) => this.entryFor(plate));
    const entry: PermitEntry = {
      start: permit.start,
      end: permit.end,
      integrationId: 0,
      shortName: this.interned(permit.shortName),
      plates: entries.length === 1 && entries[0] !== undefined ? entries[0] : entries,
    };
    this.standard.set(id, entry);
    this.attachPermit(entry);
  }

  putDntt(id: number, dntt: { plate: string; start: number; end: number; location: string; notes: string } | undefined, now: number) {
    const known = this.dntt.get(id);
    if (known !== undefined) {
      removeItem(known.plate.dntt, known);
      if (known.plate.dntt?.length === 0) known.plate.dntt = undefined;
      this.dntt.delete(id);
      this.release(known.plate);
    }
    if (dntt === undefined || dntt.end <= now) return;
    const entry: DnttEntry = { id, plate: this.entryFor(dntt.plate), start: dntt.start, end: dntt.end, location: dntt.location, notes: dntt.notes };
    this.dntt.set(id, entry);
    if (entry.plate.dntt === undefined) entry.plate.dntt = [entry];
    else entry.plate.dntt.push(entry);
  }

  /**
   * Files a vehicle (or updates its alert and drivers). False when it is on file under another
   * plate: what was filed under the old one (its standard permits) needs the client reloaded.
   */
  putVehicle(id: number, plate: string, alert: string | null, drivers: readonly number[]): boolean {
    const known = this.vehicles.get(id);
    if (known !== undefined && known.plate.plate !== plate) return false;
    const entry = known ?? { plate: this.entryFor(plate), alert: null, drivers: [] };
    entry.alert = alert;
    for (const driver of drivers) insertSorted(entry.drivers, driver);
    if (known === undefined) {
      this.vehicles.set(id, entry);
      if (entry.plate.vehicles === undefined) entry.plate.vehicles = [id];
      else insertSorted(entry.plate.vehicles, id);
    }
    return true;
  }

  linkDriver(vehicleId: number, userId: number): void {
    const vehicle = this.vehicles.get(vehicleId);
    if (vehicle !== undefined) insertSorted(vehicle.drivers, userId);
  }

  setUserAlert(id: number, alert: string | null): void {
    if (alert === null) this.userAlerts.delete(id);
    else this.userAlerts.set(id, alert);
  }

  /** Drops what has ended by `now` (memory only: answers filter by time anyway). */
  purge(now: number): void {
    for (const [referenceId, permit] of this.pushed) if (permit.end <= now) this.putPushed(referenceId, undefined, now);
    for (const [id, permit] of this.standard) if (permit.end <= now) this.putStandard(id, undefined, now);
    for (const [id, entry] of this.dntt) if (entry.end <= now) this.putDntt(id, undefined, now);
  }

  /** What plate validation answers for the plate at `now`, times in `timeZone` (the SQL's rules, src/plates/repository.ts). */
  findings(entry: PlateEntry | undefined, now: number, timeZone: string): PlateFindings {
    if (entry === undefined) return { permits: [], dntt: [], alarm: null };
    const valid = (entry.permits ?? [])
      .filter((permit) => permit.start <= now && now < permit.end)
      .map((permit) => ({ permit, type: permit.integrationId === 0 ? STANDARD : (this.origins.get(permit.integrationId) ?? '') }))
      .sort((a, b) => a.permit.end - b.permit.end || compareCodePoints(a.permit.shortName, b.permit.shortName) || compareCodePoints(a.type, b.type));
    const permits: PermitFound[] = valid.map(({ permit, type }) => ({ expires: localText(permit.end, timeZone), type, shortName: permit.shortName }));
    const dntt: DnttFound[] = (entry.dntt ?? [])
      .filter((found) => found.start <= now && now < found.end)
      .sort((a, b) => a.start - b.start || a.id - b.id)
      .map((found) => ({ notes: found.notes, start: localText(found.start, timeZone), location: found.location, end: localText(found.end, timeZone) }));
    return { permits, dntt, alarm: this.alarmOf(entry) };
  }

  /** The vehicles' alerts, then their drivers' (by vehicle, then user), each text once. */
  private alarmOf(entry: PlateEntry): string | null {
    const texts: string[] = [];
    const add = (text: string | null | undefined) => {
      if (hasContent(text) && !texts.includes(text)) texts.push(text);
    };
    const vehicles = (entry.vehicles ?? []).flatMap((id) => this.vehicles.get(id) ?? []);
    for (const vehicle of vehicles) add(vehicle.alert);
    for (const vehicle of vehicles) for (const userId of vehicle.drivers) add(this.userAlerts.get(userId));
    return texts.length === 0 ? null : texts.join('\n');
  }

  /** Whether the plate has a permit valid at `now`. */
  private hasValidPermit(entry: PlateEntry, now: number): boolean {
    return entry.permits?.some((permit) => permit.start <= now && now < permit.end) ?? false;
  }

  /** Whether validation answers anything for the plate at `now`: a valid permit, a DNTT entry in effect, an alarm. */
  private answersSomething(entry: PlateEntry, now: number): boolean {
    if (this.hasValidPermit(entry, now)) return true;
    if (entry.dntt?.some((found) => found.start <= now && now < found.end)) return true;
    return entry.vehicles !== undefined && this.alarmOf(entry) !== null;
  }

  candidates(read: string, now: number, timeZone: string): PlateCandidate[] {
    // Ranked on what is cheap to know (fewer changes, confusions only, a valid permit, the
    // plate); only the kept ones are formatted.
    const ranked = fuzzyMatches(this, read).flatMap((match) =>
      this.answersSomething(match.entry, now)
        ? [{ match, changes: match.changes.length, edit: hasEdit(match.changes) ? 1 : 0, invalid: this.hasValidPermit(match.entry, now) ? 0 : 1 }]
        : [],
    );
    ranked.sort((a, b) => a.changes - b.changes || a.edit - b.edit || a.invalid - b.invalid || compareCodePoints(a.match.plate, b.match.plate));
    return ranked
      .slice(0, MAX_CANDIDATES)
      .map(({ match }) => ({ plate: match.plate, changes: match.changes, findings: this.findings(match.entry, now, timeZone) }));
  }

  lookup(plate: string): PlateEntry | undefined {
    return this.plates.get(plate);
  }
}

// Readers of an event's `data` (JSON as the log stores it): a field of another type is a fault of the writer.
type EventData = Readonly<Record<string, unknown>>;
function field<T>(data: EventData, key: string, check: (value: unknown) => value is T, what: string): T {
  const value = data[key];
  if (!check(value)) throw new Error(`a change event's ${key} is not ${what}`);
  return value;
}
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number';
const isNullableString = (value: unknown): value is string | null => value === null || typeof value === 'string';
const isNumbers = (value: unknown): value is number[] => Array.isArray(value) && value.every(isNumber);
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const text = (data: EventData, key: string) => field(data, key, isString, 'text');
const nullableText = (data: EventData, key: string) => field(data, key, isNullableString, 'text or null');
const id = (data: EventData, key: string) => field(data, key, isNumber, 'a number');
const instant = (data: EventData, key: string) => {
  const ms = Date.parse(text(data, key));
  if (Number.isNaN(ms)) throw new Error(`a change event's ${key} is not a time`);
  return ms;
};

export interface IndexOptions {
  /** The index's clock (ms since the epoch); tests move it. The server's own clock otherwise. */
  readonly clock?: () => number;
  readonly log?: Pick<FastifyBaseLogger, 'warn' | 'info'>;
  /** Whether plate validation on this database answers from this index (the app's index does). */
  readonly serveValidation?: boolean;
}

/** Tables whose committed writes without a change event (a fixture, a manual fix) make the index reload. */
const FOLLOWED_TABLES = [
  'pushed_permits',
  'standard_permits',
  'standard_permit_vehicles',
  'standard_permit_plates',
  'dntt_entries',
  'vehicles',
  'users',
  'vehicle_drivers',
];

/** The serving indexes of each database, newest last (several apps may share one database in a test). */
const indexes = new WeakMap<WriteWatch, EnforcementIndex[]>();

/** The index plate validation answers from on this database, when an app started one. */
export function enforcementIndexOf(db: Kysely<DB>): EnforcementIndex | undefined {
  return indexes.get(writeWatchOf(db))?.at(-1);
}

export class EnforcementIndex {
  private clients = new Map<number, ClientIndex>();
  /** Permits starting before this are all held. */
  private horizonEnd = 0;
  private originsFingerprint = '';
  /** Index work (load, catch-up, refill) runs one piece at a time, in order. */
  private queue: Promise<void> = Promise.resolve();
  private queuedSync: Promise<void> | undefined;
  /** A catch-up this process's own commit asked for: validation waits for it. */
  private ownWrite: Promise<void> | undefined;
  /** A catch-up for this process's own commit failed: validation catches up before answering. */
  private ownWriteMissed = false;
  private reloadWanted = false;
  private originsWanted = false;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;
  private readonly clock: () => number;
  /** How long the last load took, in ms (logged at start). */
  lastLoadMs = 0;
  /** Whether the first load is done: until then validation answers by the SQL (and readiness says no). */
  loaded = false;
  /** The first load (with its retries). */
  private loading: Promise<void> = Promise.resolve();

  constructor(
    private readonly database: Database,
    private readonly options: IndexOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  private get db(): Kysely<DB> {
    return this.database.db;
  }

  /**
   * Starts loading every client (retried every LOAD_RETRY_MS while the database fails) and
   * following: this process's commits (at once), other processes' (NOTIFY on PostgreSQL), a
   * look at the counters every CATCH_UP_INTERVAL_MS, and the horizon every REFILL_INTERVAL_MS.
   * Resolves once loaded (or closed); `loaded` says so meanwhile.
   */
  start(): Promise<void> {
    const watch = writeWatchOf(this.db);
    watch.subscribe((tables) => this.committed(tables));
    if (this.options.serveValidation !== false) indexes.set(watch, [...(indexes.get(watch) ?? []), this]);
    this.loading = this.loadUntilDone();
    // Errors of the listening connection are the database's to report (onError); it retries on its own.
    this.database.listen(CHANGES_CHANNEL, () => void this.requestSync().catch(() => {})).catch(() => {});
    this.every(CATCH_UP_INTERVAL_MS, () => this.requestSync());
    this.every(REFILL_INTERVAL_MS, () => (this.loaded ? this.enqueue(() => this.refill()) : Promise.resolve()));
    return this.loading;
  }

  /** Resolves once the first load is done (or the index closed). */
  whenLoaded(): Promise<void> {
    return this.loading;
  }

  private async loadUntilDone(): Promise<void> {
    while (!this.closed) {
      try {
        await this.enqueue(() => this.load());
        this.loaded = true;
        this.options.log?.info({ permits: this.permitCount(), load_ms: Math.round(this.lastLoadMs) }, 'enforcement index loaded');
        return;
      } catch (error) {
        if (this.closed) return;
        this.options.log?.warn({ err: error }, 'enforcement index: loading failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, LOAD_RETRY_MS));
      }
    }
  }

  /** Stops following; resolves when the work under way is done (the database is closed next). */
  async close(): Promise<void> {
    this.closed = true;
    const watch = writeWatchOf(this.db);
    indexes.set(
      watch,
      (indexes.get(watch) ?? []).filter((index) => index !== this),
    );
    for (const timer of this.timers) clearInterval(timer);
    await this.queue;
  }

  private every(ms: number, work: () => Promise<void>): void {
    const timer = setInterval(() => {
      work().catch((error: unknown) => this.options.log?.warn({ err: error }, 'enforcement index: catching up failed; trying again'));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => {});
    return run;
  }

  /** A catch-up that starts after this call (one already queued and not started will do). */
  requestSync(): Promise<void> {
    if (this.closed) return Promise.resolve();
    // The first load reads everything up to its own end.
    if (!this.loaded) return this.loading;
    this.queuedSync ??= this.enqueue(async () => {
      this.queuedSync = undefined;
      if (this.reloadWanted) await this.load();
      else await this.sync(this.db);
    });
    return this.queuedSync;
  }

  /** A commit of this process: the next validation must see it. */
  private committed(tables: ReadonlySet<string>): void {
    const logged = tables.has('change_log');
    if (!logged && FOLLOWED_TABLES.some((table) => tables.has(table))) this.reloadWanted = true;
    if (tables.has('integrations')) this.originsWanted = true;
    if (!logged && !this.reloadWanted && !this.originsWanted) return;
    const caughtUp = this.requestSync();
    this.ownWrite = caughtUp;
    const settled = () => {
      if (this.ownWrite === caughtUp) this.ownWrite = undefined;
    };
    caughtUp.then(settled, () => {
      // Failed (the database unreachable): the next validation tries again before answering.
      settled();
      this.ownWriteMissed = true;
    });
  }

  /** Everything, for every client, from one snapshot, then the events after it. */
  private async load(): Promise<void> {
    const started = performance.now();
    this.reloadWanted = false;
    this.originsWanted = false;
    const now = this.clock();
    const window: PermitWindow = { now: new Date(now), until: new Date(now + HORIZON_MS) };
    const clients = new Map<number, ClientIndex>();
    const clientOf = (clientId: number) => {
      let client = clients.get(clientId);
      if (client === undefined) {
        client = new ClientIndex();
        clients.set(clientId, client);
      }
      return client;
    };
    await this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const cursors = await readCursors(trx);
        this.originsFingerprint = cursors.origins;
        for (const counter of cursors.counters) clientOf(counter.client_id).seq = Number(counter.last_seq);
        for (const row of await readOrigins(trx)) clientOf(row.client_id).origins.set(row.id, row.origin);
        for (const row of await readVehicles(trx)) clientOf(row.client_id).putVehicle(row.id, row.plate_norm, row.alert, []);
        for (const row of await readDrivers(trx)) clientOf(row.client_id).linkDriver(row.vehicle_id, row.user_id);
        for (const row of await readUserAlerts(trx)) clientOf(row.client_id).setUserAlert(row.id, row.alert);
        for (const row of await readDntt(trx, window.now)) {
          clientOf(row.client_id).putDntt(
            row.id,
            { plate: row.plate_norm, start: row.start_ms, end: row.end_ms, location: row.location, notes: row.notes },
            now,
          );
        }
        await this.readPermits(trx, window, clientOf, now);
      });
    this.clients = clients;
    this.horizonEnd = window.until.getTime();
    this.lastLoadMs = performance.now() - started;
    await this.sync(this.db);
  }

  /** Reads the window's permits in `trx` (a transaction: the pushed permits come through a cursor). */
  private async readPermits(trx: Kysely<DB>, window: PermitWindow, clientOf: (clientId: number) => ClientIndex, now: number): Promise<void> {
    await readPushedPages(trx, window, (page) => {
      for (const row of page) {
        clientOf(row.client_id).putPushed(
          row.reference_id,
          { plate: row.plate_norm, start: row.start_ms, end: row.end_ms, integrationId: row.integration_id, shortName: row.short_name },
          now,
        );
      }
    });
    for (const row of await readStandard(trx, window)) {
      clientOf(row.client_id).putStandard(
        row.id,
        { vehicleIds: row.vehicle_ids, plates: row.plate_norms, start: row.start_ms, end: row.end_ms, shortName: row.short_name },
        now,
      );
    }
  }

  /**
   * Moves the horizon: in one snapshot, the events up to it, then the permits starting between
   * the old horizon and the new one (their state at that snapshot, which the events up to it
   * agree with). Drops what has ended.
   */
  private async refill(): Promise<void> {
    if (this.reloadWanted) return this.load();
    const now = this.clock();
    const window: PermitWindow = { now: new Date(now), until: new Date(now + HORIZON_MS), from: new Date(this.horizonEnd) };
    await this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await this.sync(trx);
        await this.readPermits(trx, window, (clientId) => this.clientOf(clientId), now);
      });
    this.horizonEnd = window.until.getTime();
    for (const client of this.clients.values()) client.purge(now);
  }

  private clientOf(clientId: number): ClientIndex {
    let client = this.clients.get(clientId);
    if (client === undefined) {
      client = new ClientIndex();
      this.clients.set(clientId, client);
    }
    return client;
  }

  /** One look at the counters; the events of each client behind, applied in order. */
  private async sync(db: Kysely<DB>): Promise<void> {
    const cursors = await readCursors(db);
    if (this.originsWanted || cursors.origins !== this.originsFingerprint) {
      this.originsWanted = false;
      this.originsFingerprint = cursors.origins;
      const origins = new Map<number, Map<number, string>>();
      for (const row of await readOrigins(db)) origins.set(row.client_id, (origins.get(row.client_id) ?? new Map<number, string>()).set(row.id, row.origin));
      for (const [clientId, map] of origins) this.clientOf(clientId).origins = map;
    }
    for (const counter of cursors.counters) {
      const client = this.clientOf(counter.client_id);
      const last = Number(counter.last_seq);
      while (client.seq < last) {
        const events = await readEvents(db, counter.client_id, client.seq);
        const first = events[0];
        // Events pruned before this process read them: only a reload knows what they did.
        if (first === undefined || Number(first.seq) !== client.seq + 1) {
          this.reloadWanted = true;
          return;
        }
        for (const event of events) {
          if (!this.apply(client, event.type, event.object)) {
            this.reloadWanted = true;
            return;
          }
          client.seq = Number(event.seq);
        }
        if (events.length < EVENT_PAGE) break;
      }
    }
  }

  /** Applies one event; false when the client must be reloaded instead. */
  private apply(client: ClientIndex, type: string, data: EventData): boolean {
    const now = this.clock();
    switch (type) {
      case 'permit.created':
      case 'permit.updated':
      case 'permit.deleted': {
        const live = data.deleted_at === null || data.deleted_at === undefined;
        if (data.kind === 'pushed') {
          client.putPushed(
            text(data, 'reference_id'),
            live
              ? {
                  plate: normalisePlate(text(data, 'plate')),
                  start: instant(data, 'start'),
                  end: instant(data, 'end'),
                  integrationId: id(data, 'integration_id'),
                  shortName: pushedShortName(data),
                }
              : undefined,
            now,
          );
        } else {
          client.putStandard(
            id(data, 'id'),
            live
              ? {
                  vehicleIds: field(data, 'vehicle_ids', isNumbers, 'ids'),
                  plates: field(data, 'plates', isStrings, 'plates').map(normalisePlate),
                  start: instant(data, 'start_at'),
                  end: instant(data, 'end_at'),
                  shortName: text(data, 'short_name'),
                }
              : undefined,
            now,
          );
        }
        return true;
      }
      case 'dntt.created':
      case 'dntt.ended':
        client.putDntt(
          id(data, 'id'),
          {
            plate: text(data, 'plate_norm'),
            start: instant(data, 'start_at'),
            end: instant(data, 'end_at'),
            location: text(data, 'location'),
            notes: text(data, 'notes'),
          },
          now,
        );
        return true;
      case 'alarm.set':
      case 'alarm.cleared': {
        const alert = nullableText(data, 'alert');
        if (data.subject === 'user') {
          client.setUserAlert(id(data, 'id'), alert);
          return true;
        }
        const vehicle = client.vehicles.get(id(data, 'id'));
        if (vehicle === undefined) return false;
        vehicle.alert = alert;
        return true;
      }
      case 'vehicle.created':
      case 'vehicle.updated':
        return client.putVehicle(id(data, 'id'), text(data, 'plate_norm'), nullableText(data, 'alert'), field(data, 'driver_user_ids', isNumbers, 'ids'));
      case 'user.created':
      case 'user.updated': {
        const userId = id(data, 'id');
        client.setUserAlert(userId, nullableText(data, 'alert'));
        for (const vehicleId of field(data, 'vehicle_ids', isNumbers, 'ids')) client.linkDriver(vehicleId, userId);
        return true;
      }
      default:
        // Violations and lots: nothing plate validation answers.
        return true;
    }
  }

  /**
   * Waits for what validation must see first: this process's own last commit, and a horizon
   * that has come due (the refill timer having failed to move it).
   */
  async current(): Promise<void> {
    await this.loading;
    if (this.ownWrite !== undefined) await this.ownWrite;
    if (this.reloadWanted) await this.requestSync();
    if (this.ownWriteMissed) {
      await this.requestSync();
      this.ownWriteMissed = false;
    }
    if (this.clock() >= this.horizonEnd - REFILL_INTERVAL_MS) await this.enqueue(() => this.refill());
  }

  /** What plate validation answers for `plateNorm` now, from memory (call `current` first). */
  findings(clientId: number, plateNorm: string, timeZone: string): PlateFindings {
    const client = this.clients.get(clientId);
    if (client === undefined) return { permits: [], dntt: [], alarm: null };
    return client.findings(client.lookup(plateNorm), this.clock(), timeZone);
  }

  /** The plates on file a misread of `plateNorm` may stand for, best first, at most 5. */
  candidates(clientId: number, plateNorm: string, timeZone: string): PlateCandidate[] {
    return this.clients.get(clientId)?.candidates(plateNorm, this.clock(), timeZone) ?? [];
  }

  /** How many permits the index holds (both kinds), for the bench's bytes-per-permit figure. */
  permitCount(): number {
    let count = 0;
    for (const client of this.clients.values()) count += client.pushed.size + client.standard.size;
    return count;
  }
}

/** A pushed permit's short name: its zone, or its permit number when it has no zone, or ''. */
function pushedShortName(data: EventData): string {
  const zone = data.zone;
  if (typeof zone === 'string' && zone !== '') return zone;
  const permitNo = data.permit_no;
  return typeof permitNo === 'string' ? permitNo : '';
}
