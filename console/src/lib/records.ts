// The admin API documents its answers as JSON objects without listing their columns, so the
// generated client types them as open records: these readers check the columns a screen
// shows, and a changed answer fails loudly here instead of rendering blanks.

type JsonRecord = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is JsonRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function record(value: unknown, what: string): JsonRecord {
  if (!isRecord(value)) throw new Error(`the server's answer is not ${what}`);
  return value;
}

function text(row: JsonRecord, key: string): string {
  const value = row[key];
  if (typeof value !== 'string') throw new Error(`the server's answer has no text ${key}`);
  return value;
}

function optionalText(row: JsonRecord, key: string): string | null {
  const value = row[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new Error(`the server's answer has a ${key} that is not text`);
  return value;
}

function integer(row: JsonRecord, key: string): number {
  const value = row[key];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`the server's answer has no integer ${key}`);
  return value;
}

function optionalInteger(row: JsonRecord, key: string): number | null {
  return row[key] === null || row[key] === undefined ? null : integer(row, key);
}

function list<T>(row: JsonRecord, key: string, readItem: (item: unknown) => T): T[] {
  const value = row[key];
  if (!Array.isArray(value)) throw new Error(`the server's answer has no list ${key}`);
  return value.map(readItem);
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: number | null;
}

/** A list answer `{"items":[…],"next_cursor":N|null}`. */
export function readPage<T>(answer: unknown, readItem: (item: unknown) => T): Page<T> {
  const page = record(answer, 'a page');
  return { items: list(page, 'items', readItem), nextCursor: optionalInteger(page, 'next_cursor') };
}

export interface ClientRecord {
  readonly id: number;
  readonly code: string;
  readonly name: string;
}

export function readClient(value: unknown): ClientRecord {
  const row = record(value, 'a client');
  return { id: integer(row, 'id'), code: text(row, 'code'), name: text(row, 'name') };
}

export interface Lot {
  readonly id: number;
  readonly name: string;
  readonly lotType: string;
  readonly defaultCost: string | null;
  readonly capacity: number | null;
  readonly taxRate1: string | null;
  readonly taxRate2: string | null;
}

export function readLot(value: unknown): Lot {
  const row = record(value, 'a lot');
  return {
    id: integer(row, 'id'),
    name: text(row, 'name'),
    lotType: text(row, 'lot_type'),
    defaultCost: optionalText(row, 'default_cost'),
    capacity: optionalInteger(row, 'capacity'),
    taxRate1: optionalText(row, 'tax_rate1'),
    taxRate2: optionalText(row, 'tax_rate2'),
  };
}

export interface ZoneAlias {
  readonly id: number;
  readonly name: string;
  readonly reconnectedPermits: number;
}

export function readZoneAlias(value: unknown): ZoneAlias {
  const row = record(value, 'a zone alias');
  return { id: integer(row, 'id'), name: text(row, 'name'), reconnectedPermits: integer(row, 'reconnected_permits') };
}

/** A row of the Paystation status list (a pushed permit). */
export interface PaystationPermit {
  readonly id: number;
  readonly plate: string;
  readonly zone: string | null;
  readonly lot: string | null;
  readonly disconnected: boolean;
  readonly integration: string;
  readonly origin: string;
  readonly promoCode: string | null;
  readonly amount: string | null;
  readonly currency: string;
  readonly start: string;
  readonly end: string;
  readonly deletedAt: string | null;
}

export function readPaystationPermit(value: unknown): PaystationPermit {
  const row = record(value, 'a pushed permit');
  return {
    id: integer(row, 'id'),
    plate: text(row, 'plate'),
    zone: optionalText(row, 'zone'),
    lot: optionalText(row, 'lot'),
    disconnected: boolean(row, 'disconnected'),
    integration: text(row, 'integration'),
    origin: text(row, 'type'),
    promoCode: optionalText(row, 'promo_code'),
    amount: optionalText(row, 'amount'),
    currency: text(row, 'currency'),
    start: text(row, 'start_at'),
    end: text(row, 'end_at'),
    deletedAt: optionalText(row, 'deleted_at'),
  };
}

export interface Integration {
  readonly id: number;
  readonly name: string;
  readonly origin: string | null;
}

export function readIntegration(value: unknown): Integration {
  const row = record(value, 'an integration');
  return { id: integer(row, 'id'), name: text(row, 'name'), origin: optionalText(row, 'origin') };
}

export interface TokenRecord {
  readonly id: number;
  readonly integrationId: number;
  readonly prefix: string;
  readonly scopes: string[];
  readonly createdAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
  /** A rotated token's end of grace. */
  readonly expiresAt: string | null;
  /** A rotated token's successor. */
  readonly rotatedTo: number | null;
}

function scopeList(value: unknown): string[] {
  const holder = { scopes: value };
  return list(holder, 'scopes', (scope) => {
    if (typeof scope !== 'string') throw new Error("the server's answer has a scope that is not text");
    return scope;
  });
}

export function readToken(value: unknown): TokenRecord {
  const row = record(value, 'a token');
  return {
    id: integer(row, 'id'),
    integrationId: integer(row, 'integration_id'),
    prefix: text(row, 'prefix'),
    scopes: scopeList(row.scopes),
    createdAt: text(row, 'created_at'),
    revokedAt: optionalText(row, 'revoked_at'),
    lastUsedAt: optionalText(row, 'last_used_at'),
    expiresAt: optionalText(row, 'expires_at'),
    rotatedTo: optionalInteger(row, 'rotated_to'),
  };
}

/** The answer of a token's creation: the token itself, shown this once. */
export interface IssuedToken {
  readonly id: number;
  readonly token: string;
}

export function readIssuedToken(value: unknown): IssuedToken {
  const row = record(value, 'a new token');
  return { id: integer(row, 'id'), token: text(row, 'token') };
}

export interface PlatePermit {
  readonly type: string;
  readonly shortName: string;
  readonly expires: string;
}

export interface PlateDntt {
  readonly location: string;
  readonly start: string;
  readonly end: string;
  readonly notes: string;
}

export interface PlateFindings {
  readonly plate: string;
  readonly permits: PlatePermit[];
  readonly dntt: PlateDntt[];
  readonly alarm: string | null;
}

export function readPlateFindings(value: unknown): PlateFindings {
  const row = record(value, 'a plate lookup');
  return {
    plate: text(row, 'plate'),
    permits: list(row, 'permits', (item) => {
      const permit = record(item, 'a permit');
      return { type: text(permit, 'type'), shortName: text(permit, 'shortName'), expires: text(permit, 'expires') };
    }),
    dntt: list(row, 'dntt', (item) => {
      const entry = record(item, 'a DNTT entry');
      return { location: text(entry, 'location'), start: text(entry, 'start'), end: text(entry, 'end'), notes: text(entry, 'notes') };
    }),
    alarm: optionalText(row, 'alarm'),
  };
}

export type Role = 'admin' | 'officer' | 'finance';

export const ROLES: readonly Role[] = ['admin', 'officer', 'finance'];

function boolean(row: JsonRecord, key: string): boolean {
  const value = row[key];
  if (typeof value !== 'boolean') throw new Error(`the server's answer has no true/false ${key}`);
  return value;
}

/** An operator account as the operators operations answer it (never its password). */
export interface OperatorAccount {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly clientCode: string | null;
  readonly disabled: boolean;
  readonly lockedUntil: string | null;
}

export function readOperatorAccount(value: unknown): OperatorAccount {
  const row = record(value, 'an operator');
  return {
    id: integer(row, 'id'),
    username: text(row, 'username'),
    displayName: text(row, 'display_name'),
    role: role(text(row, 'role')),
    clientCode: optionalText(row, 'client_code'),
    disabled: boolean(row, 'disabled'),
    lockedUntil: optionalText(row, 'locked_until'),
  };
}

export interface Operator {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** The client the operator works for; null for an installation admin, who picks one. */
  readonly clientCode: string | null;
}

export interface Session {
  readonly operator: Operator;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

function role(value: string): Role {
  if (value === 'admin' || value === 'officer' || value === 'finance') return value;
  throw new Error(`the server's answer has an unknown role ${value}`);
}

/** The answer of `POST` and `GET /admin/v1/session`. */
export function readSession(value: unknown): Session {
  const row = record(value, 'a session');
  const operator = record(row.operator, 'an operator');
  return {
    operator: {
      username: text(operator, 'username'),
      displayName: text(operator, 'display_name'),
      role: role(text(operator, 'role')),
      clientCode: optionalText(operator, 'client_code'),
    },
    csrfToken: text(row, 'csrf_token'),
    expiresAt: text(row, 'expires_at'),
  };
}

function numeric(row: JsonRecord, key: string): number {
  const value = row[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`the server's answer has no number ${key}`);
  return value;
}

/** One lot of the lot value report (`GET /admin/v1/clients/{code}/lot-values`). */
export interface LotValue {
  readonly lotType: string;
  readonly lotName: string;
  readonly defaultCost: number;
  readonly capacity: number;
  readonly rented: number;
  readonly utilisedPct: number | null;
  readonly projected: number;
  readonly amount: number;
  readonly taxAmount: number;
  readonly taxAmount1: number;
  readonly taxAmount2: number;
  readonly total: number;
}

export function readLotValues(value: unknown): LotValue[] {
  return list(record(value, 'a lot value report'), 'items', (item) => {
    const row = record(item, 'a lot value');
    return {
      lotType: text(row, 'lot_type'),
      lotName: text(row, 'lot_name'),
      defaultCost: numeric(row, 'default_cost'),
      capacity: integer(row, 'total_permits'),
      rented: integer(row, 'rented_permits'),
      utilisedPct: row.utilized_pct === null ? null : numeric(row, 'utilized_pct'),
      projected: numeric(row, 'amount_projected'),
      amount: numeric(row, 'amount'),
      taxAmount: numeric(row, 'tax_amount'),
      taxAmount1: numeric(row, 'tax_amount1'),
      taxAmount2: numeric(row, 'tax_amount2'),
      total: numeric(row, 'total'),
    };
  });
}

/** A do-not-ticket-or-tow entry (`dntt list`, `dntt create`). */
export interface DnttEntry {
  readonly id: number;
  readonly plate: string;
  readonly location: string;
  readonly startAt: string;
  readonly endAt: string;
  readonly notes: string;
}

export function readDnttEntry(value: unknown): DnttEntry {
  const row = record(value, 'a DNTT entry');
  return {
    id: integer(row, 'id'),
    plate: text(row, 'plate'),
    location: text(row, 'location'),
    startAt: text(row, 'start_at'),
    endAt: text(row, 'end_at'),
    notes: text(row, 'notes'),
  };
}

/** A vehicle or a user as the alarms panel shows it: who it is, and its alert (null: none). */
export interface AlarmHolder {
  readonly id: number;
  readonly name: string;
  readonly alert: string | null;
}

export function readVehicleAlarm(value: unknown): AlarmHolder {
  const row = record(value, 'a vehicle');
  return { id: integer(row, 'id'), name: text(row, 'plate'), alert: optionalText(row, 'alert') };
}

export function readUserAlarm(value: unknown): AlarmHolder {
  const row = record(value, 'a user');
  const name = [optionalText(row, 'first_name'), optionalText(row, 'last_name')].filter((part) => part !== null && part !== '').join(' ');
  const email = optionalText(row, 'email') ?? '';
  return {
    id: integer(row, 'id'),
    name: `${name === '' ? text(row, 'unique_id') : name}${email === '' ? '' : ` <${email}>`}`,
    alert: optionalText(row, 'alert'),
  };
}

/** A violation (ticket) with what was paid on it (`violations list`, `create`, `pay`, `void`). */
export interface Violation {
  readonly id: number;
  readonly ticket: string;
  readonly plate: string | null;
  readonly locationId: number | null;
  readonly fine: string;
  readonly adjustedFine: string | null;
  readonly issuedAt: string;
  readonly dueAt: string;
  readonly voidedAt: string | null;
  readonly appealState: string;
  readonly sentToCollectionsAt: string | null;
  readonly violationTypeIds: number[];
  readonly paid: string;
}

export function readViolation(value: unknown): Violation {
  const row = record(value, 'a violation');
  return {
    id: integer(row, 'id'),
    ticket: text(row, 'ticket'),
    plate: optionalText(row, 'plate'),
    locationId: optionalInteger(row, 'location_id'),
    fine: text(row, 'fine'),
    adjustedFine: optionalText(row, 'adjusted_fine'),
    issuedAt: text(row, 'issued_at'),
    dueAt: text(row, 'due_at'),
    voidedAt: optionalText(row, 'spoiled_at'),
    appealState: text(row, 'appeal_state'),
    sentToCollectionsAt: optionalText(row, 'sent_to_collections_at'),
    violationTypeIds: list(row, 'violation_type_ids', (id) => {
      if (typeof id !== 'number' || !Number.isInteger(id)) throw new Error("the server's answer has a violation type id that is not an integer");
      return id;
    }),
    paid: text(row, 'paid'),
  };
}

export interface Payment {
  readonly id: number;
  readonly amount: string;
  readonly paidAt: string;
}

export interface ViolationDetail extends Violation {
  readonly payments: Payment[];
}

/** `GET /admin/v1/clients/{code}/violations/{id}`: the violation and its payments. */
export function readViolationDetail(value: unknown): ViolationDetail {
  const row = record(value, 'a violation');
  return {
    ...readViolation(row),
    payments: list(row, 'payments', (item) => {
      const payment = record(item, 'a payment');
      return { id: integer(payment, 'id'), amount: text(payment, 'amount'), paidAt: text(payment, 'paid_at') };
    }),
  };
}

/** A location or ticket category. */
export interface Named {
  readonly id: number;
  readonly name: string;
}

export function readNamed(value: unknown): Named {
  const row = record(value, 'a named record');
  return { id: integer(row, 'id'), name: text(row, 'name') };
}

export interface ViolationType {
  readonly id: number;
  readonly description: string;
  readonly defaultCost: string;
}

export function readViolationType(value: unknown): ViolationType {
  const row = record(value, 'a violation type');
  return { id: integer(row, 'id'), description: text(row, 'description'), defaultCost: text(row, 'default_cost') };
}

/** One lot on the dashboard: its capacity and the permits valid in it now. */
export interface LotOccupancy {
  readonly id: number;
  readonly name: string;
  readonly capacity: number;
  readonly validPermits: number;
}

export interface Dashboard {
  readonly lots: LotOccupancy[];
  readonly overdueViolations: number;
  readonly disconnectedPermits: number;
}

/** `GET /admin/v1/clients/{code}/dashboard`. */
export function readDashboard(value: unknown): Dashboard {
  const row = record(value, 'a dashboard');
  return {
    lots: list(row, 'lots', (item) => {
      const lot = record(item, 'a lot');
      return { id: integer(lot, 'id'), name: text(lot, 'name'), capacity: integer(lot, 'capacity'), validPermits: integer(lot, 'valid_permits') };
    }),
    overdueViolations: integer(row, 'overdue_violations'),
    disconnectedPermits: integer(row, 'disconnected_permits'),
  };
}

export interface CollectionsBatch {
  readonly id: string;
  readonly integrationId: number;
  readonly integrationName: string;
  readonly recordCount: number;
  readonly totalAmount: string;
  readonly createdAt: string;
}

export function readCollectionsBatch(value: unknown): CollectionsBatch {
  const row = record(value, 'a collections batch');
  return {
    id: text(row, 'id'),
    integrationId: integer(row, 'integration_id'),
    integrationName: text(row, 'integration_name'),
    recordCount: integer(row, 'record_count'),
    totalAmount: text(row, 'total_amount'),
    createdAt: text(row, 'created_at'),
  };
}

export interface BatchItem {
  readonly violationId: number;
  readonly ticket: string;
  readonly plate: string | null;
  readonly issued: string;
  readonly due: string;
  readonly amount: string;
  /** The record as the integration received it. */
  readonly record: JsonRecord;
}

/** A batch with a page of its records. */
export interface BatchDetail extends CollectionsBatch {
  readonly records: BatchItem[];
  readonly nextCursor: number | null;
}

export function readBatchDetail(value: unknown): BatchDetail {
  const row = record(value, 'a collections batch');
  return {
    ...readCollectionsBatch(row),
    records: list(row, 'records', (item) => {
      const sent = record(item, 'a collections record');
      return {
        violationId: integer(sent, 'violation_id'),
        ticket: text(sent, 'ticket'),
        plate: optionalText(sent, 'plate'),
        issued: text(sent, 'issued'),
        due: text(sent, 'due'),
        amount: text(sent, 'amount'),
        record: record(sent.record, 'a collections record as sent'),
      };
    }),
    nextCursor: optionalInteger(row, 'next_cursor'),
  };
}

function integerList(row: JsonRecord, key: string): number[] {
  return list(row, key, (id) => {
    if (typeof id !== 'number' || !Number.isInteger(id)) throw new Error(`the server's answer has a ${key} item that is not an integer`);
    return id;
  });
}

export interface Person {
  readonly id: number;
  readonly uniqueId: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly email: string | null;
  readonly alert: string | null;
  readonly vehicleIds: number[];
}

export function readPerson(value: unknown): Person {
  const row = record(value, 'a user');
  return {
    id: integer(row, 'id'),
    uniqueId: text(row, 'unique_id'),
    firstName: optionalText(row, 'first_name'),
    lastName: optionalText(row, 'last_name'),
    email: optionalText(row, 'email'),
    alert: optionalText(row, 'alert'),
    vehicleIds: integerList(row, 'vehicle_ids'),
  };
}

export interface Vehicle {
  readonly id: number;
  readonly plate: string;
  readonly province: string | null;
  readonly make: string | null;
  readonly colour: string | null;
  readonly alert: string | null;
  readonly driverUserIds: number[];
}

export function readVehicle(value: unknown): Vehicle {
  const row = record(value, 'a vehicle');
  return {
    id: integer(row, 'id'),
    plate: text(row, 'plate'),
    province: optionalText(row, 'province'),
    make: optionalText(row, 'make'),
    colour: optionalText(row, 'colour'),
    alert: optionalText(row, 'alert'),
    driverUserIds: integerList(row, 'driver_user_ids'),
  };
}

/** A standard or pushed permit of the permits list, as the Users & vehicles screen shows it. */
export interface PermitSummary {
  readonly kind: 'standard' | 'pushed';
  readonly id: number;
  readonly shortName: string | null;
  readonly plates: string[];
  readonly startAt: string;
  readonly endAt: string;
  readonly amount: string | null;
}

export function readPermitSummary(value: unknown): PermitSummary {
  const row = record(value, 'a permit');
  const kind = text(row, 'kind');
  if (kind !== 'standard' && kind !== 'pushed') throw new Error(`the server's answer has a permit of kind ${kind}`);
  return {
    kind,
    id: integer(row, 'id'),
    shortName: optionalText(row, 'short_name'),
    plates: kind === 'standard' ? list(row, 'plates', (plate) => String(plate)) : [text(row, 'plate')],
    startAt: text(row, 'start_at'),
    endAt: text(row, 'end_at'),
    amount: optionalText(row, 'amount'),
  };
}

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly integrationId: number | null;
  readonly tokenId: number | null;
  readonly method: string;
  readonly endpoint: string;
  readonly errorCode: number;
  readonly httpStatus: number;
  readonly latencyMs: string;
  readonly requestId: string;
}

export function readAuditEntry(value: unknown): AuditEntry {
  const row = record(value, 'an audit entry');
  return {
    id: integer(row, 'id'),
    at: text(row, 'at'),
    integrationId: optionalInteger(row, 'integration_id'),
    tokenId: optionalInteger(row, 'token_id'),
    method: text(row, 'method'),
    endpoint: text(row, 'endpoint'),
    errorCode: integer(row, 'error_code'),
    httpStatus: integer(row, 'http_status'),
    latencyMs: text(row, 'latency_ms'),
    requestId: text(row, 'request_id'),
  };
}

export interface OperatorAction {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly resource: string;
  readonly action: string;
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  readonly status: number;
}

export function readOperatorAction(value: unknown): OperatorAction {
  const row = record(value, 'an operator action');
  const params: Record<string, string> = {};
  for (const [key, param] of Object.entries(record(row.params, 'the parameters of an action'))) params[key] = String(param);
  return {
    id: integer(row, 'id'),
    at: text(row, 'at'),
    actor: text(row, 'actor'),
    resource: text(row, 'resource'),
    action: text(row, 'action'),
    method: text(row, 'method'),
    params,
    status: integer(row, 'status'),
  };
}

/** A webhook endpoint as the webhooks operations answer it (never its secret). */
export interface WebhookEndpoint {
  readonly id: number;
  readonly url: string;
  readonly description: string | null;
  /** 'all' (every type, including types added later) or the types subscribed to. */
  readonly eventTypes: 'all' | string[];
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  readonly disabledAt: string | null;
  /** The last sequence number delivered or skipped (a bigint, as text). */
  readonly cursor: string;
  readonly pendingEvents: number;
  readonly failedAttempts: number;
  readonly nextAttemptAt: string | null;
  readonly delivered: number;
  readonly failed: number;
  readonly previousSecretUntil: string | null;
}

function eventTypes(row: JsonRecord): 'all' | string[] {
  if (row.event_types === 'all') return 'all';
  return list(row, 'event_types', (type) => {
    if (typeof type !== 'string') throw new Error("the server's answer has an event type that is not text");
    return type;
  });
}

export function readWebhookEndpoint(value: unknown): WebhookEndpoint {
  const row = record(value, 'a webhook endpoint');
  return {
    id: integer(row, 'id'),
    url: text(row, 'url'),
    description: optionalText(row, 'description'),
    eventTypes: eventTypes(row),
    enabled: boolean(row, 'enabled'),
    disabledReason: optionalText(row, 'disabled_reason'),
    disabledAt: optionalText(row, 'disabled_at'),
    cursor: text(row, 'cursor'),
    pendingEvents: integer(row, 'pending_events'),
    failedAttempts: integer(row, 'failed_attempts'),
    nextAttemptAt: optionalText(row, 'next_attempt_at'),
    delivered: integer(row, 'delivered'),
    failed: integer(row, 'failed'),
    previousSecretUntil: optionalText(row, 'previous_secret_until'),
  };
}

/** A webhook secret, shown once: the answer of an endpoint's creation or of a secret's rotation. */
export interface WebhookSecret {
  readonly id: number;
  readonly secret: string;
}

export function readWebhookSecret(value: unknown): WebhookSecret {
  const row = record(value, 'a webhook secret');
  return { id: integer(row, 'id'), secret: text(row, 'secret') };
}

const DELIVERY_KINDS = ['event', 'redelivery', 'test'] as const;
const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

function oneOf<const Choices extends readonly string[]>(row: JsonRecord, key: string, choices: Choices): Choices[number] {
  const value = text(row, key);
  const choice = choices.find((candidate) => candidate === value);
  if (choice === undefined) throw new Error(`the server's answer has ${key} ${value}, not one of ${choices.join(', ')}`);
  return choice;
}

/** One delivery of an event (or a test) to a webhook endpoint. */
export interface WebhookDelivery {
  readonly id: number;
  readonly kind: (typeof DELIVERY_KINDS)[number];
  readonly messageId: string;
  readonly seq: number | null;
  readonly type: string;
  readonly status: (typeof DELIVERY_STATUSES)[number];
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly latencyMs: number | null;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
}

export function readWebhookDelivery(value: unknown): WebhookDelivery {
  const row = record(value, 'a webhook delivery');
  return {
    id: integer(row, 'id'),
    kind: oneOf(row, 'kind', DELIVERY_KINDS),
    messageId: text(row, 'message_id'),
    seq: optionalInteger(row, 'seq'),
    type: text(row, 'type'),
    status: oneOf(row, 'status', DELIVERY_STATUSES),
    attempts: integer(row, 'attempts'),
    lastStatusCode: optionalInteger(row, 'last_status_code'),
    latencyMs: optionalInteger(row, 'latency_ms'),
    nextAttemptAt: optionalText(row, 'next_attempt_at'),
    lastError: optionalText(row, 'last_error'),
    createdAt: text(row, 'created_at'),
  };
}
