import type { ColumnType, Generated } from 'kysely';

/** A timestamptz column: read as a Date, written as a Date or an ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A numeric column: read as exact decimal text, written as text or a number. */
export type Decimal = ColumnType<string, string | number, string | number>;
/** A numeric column with a default. */
export type DecimalWithDefault = ColumnType<string, string | number | undefined, string | number>;
/** A timestamptz column with a default (usually now()). */
export type TimestampWithDefault = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ClientsTable {
  client_id: Generated<number>;
  code: string;
  code_key: string;
  name: string;
  timezone: Generated<string>;
  currency: Generated<string>;
  input_time_zone: Generated<string>;
  created_at: TimestampWithDefault;
}

export interface IntegrationsTable {
  client_id: number;
  id: Generated<number>;
  name: string;
  origin: Generated<string>;
  rate_limit_per_minute: number | null;
  created_at: TimestampWithDefault;
}

export interface ApiTokensTable {
  client_id: number;
  id: Generated<number>;
  integration_id: number;
  token_hash: string;
  prefix: string;
  scopes: string[];
  created_at: TimestampWithDefault;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  /** A rotated token's end of grace: refused from then on. */
  expires_at: Timestamp | null;
  /** The token that replaced this one at its rotation. */
  rotated_to: number | null;
}

export interface LoginSourcesTable {
  client_id: number;
  id: Generated<number>;
  name: string;
}

export interface LotsTable {
  client_id: number;
  id: Generated<number>;
  name: string;
  lot_type: string;
  default_cost: DecimalWithDefault;
  capacity: Generated<number>;
  tax_rate1: DecimalWithDefault;
  tax_rate2: DecimalWithDefault;
  created_at: TimestampWithDefault;
}

export interface ZoneAliasesTable {
  client_id: number;
  id: Generated<number>;
  lot_id: number;
  name: string;
  created_at: TimestampWithDefault;
}

export interface UserTypesTable {
  client_id: number;
  id: number;
  type_name: string;
  ext_info: Generated<string>;
}

export interface LockerUserTypesTable {
  client_id: number;
  id: number;
  type_name: string;
}

export type LookupKind = 'plate_type' | 'province' | 'make' | 'vehicle_type' | 'colour';

export interface LookupsTable {
  client_id: number;
  kind: LookupKind;
  id: number;
  name: string;
  code: string | null;
  country: string | null;
  created_at: TimestampWithDefault;
}

export interface UsersTable {
  client_id: number;
  id: Generated<number>;
  unique_id: string;
  login_source: string;
  first_name: string | null;
  last_name: string | null;
  user_name: string | null;
  email: string | null;
  street: string | null;
  city: string | null;
  province: string | null;
  postal_code: string | null;
  street2: string | null;
  city2: string | null;
  province2: string | null;
  postal_code2: string | null;
  phone_cell: string | null;
  user_type_id: number | null;
  employ_no: string | null;
  employee_phone: string | null;
  student_no: string | null;
  student_phone: string | null;
  driver_licence_num: string | null;
  driver_licence_prov: string | null;
  /** yyyy-mm-dd */
  date_of_birth: string | null;
  locker_user_type_id: number | null;
  alert: string | null;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
}

export interface VehiclesTable {
  client_id: number;
  id: Generated<number>;
  plate: string;
  plate_norm: string;
  plate_type_id: number;
  province_id: number;
  make_id: number | null;
  vehicle_type_id: number | null;
  colour_id: number | null;
  year: number | null;
  vin: string | null;
  alert: string | null;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
}

export interface VehicleDriversTable {
  client_id: number;
  vehicle_id: number;
  user_id: number;
}

export interface AuditLogTable {
  client_id: number;
  id: Generated<string>;
  at: Timestamp;
  client_code: string | null;
  integration_id: number | null;
  token_id: number | null;
  method: string;
  endpoint: string;
  error_code: number;
  http_status: number;
  latency_ms: Decimal;
  request_id: string;
}

export interface CoreTables {
  clients: ClientsTable;
  integrations: IntegrationsTable;
  api_tokens: ApiTokensTable;
  login_sources: LoginSourcesTable;
  lots: LotsTable;
  zone_aliases: ZoneAliasesTable;
  change_counters: ChangeCountersTable;
  change_log: ChangeLogTable;
  user_types: UserTypesTable;
  locker_user_types: LockerUserTypesTable;
  lookups: LookupsTable;
  users: UsersTable;
  vehicles: VehiclesTable;
  vehicle_drivers: VehicleDriversTable;
  audit_log: AuditLogTable;
}

export interface PermitTypesTable {
  client_id: number;
  id: Generated<number>;
  short_name: string;
  lot_id: number;
  created_at: TimestampWithDefault;
}

export interface StandardPermitsTable {
  client_id: number;
  id: Generated<number>;
  permit_type_id: number;
  user_id: number | null;
  start_at: Timestamp;
  end_at: Timestamp;
  amount: DecimalWithDefault;
  tax_amount: DecimalWithDefault;
  tax_amount1: DecimalWithDefault;
  tax_amount2: DecimalWithDefault;
  created_at: TimestampWithDefault;
  deleted_at: Timestamp | null;
}

export interface StandardPermitVehiclesTable {
  client_id: number;
  permit_id: number;
  vehicle_id: number;
}

export interface StandardPermitPlatesTable {
  client_id: number;
  permit_id: number;
  plate: string;
  plate_norm: string;
}

export interface PushedPermitsTable {
  client_id: number;
  id: Generated<string>;
  reference_id: string;
  integration_id: number;
  plate: string;
  plate_norm: string;
  amount: Decimal | null;
  currency: string;
  start_at: Timestamp;
  end_at: Timestamp;
  permit_no: string | null;
  ticket_number: string | null;
  zone_name: string | null;
  lot_id: number | null;
  disconnected: Generated<boolean>;
  promo_code: string | null;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
  deleted_at: Timestamp | null;
}

/** One version of a pushed permit (011_permit_history.sql), written by the database's trigger. */
export interface PushedPermitHistoryTable {
  client_id: number;
  permit_id: string;
  version_id: Generated<string>;
  reference_id: string;
  integration_id: number;
  plate: string;
  plate_norm: string;
  amount: Decimal | null;
  currency: string;
  start_at: Timestamp;
  end_at: Timestamp;
  permit_no: string | null;
  ticket_number: string | null;
  zone_name: string | null;
  lot_id: number | null;
  recorded_at: Timestamp;
  superseded_at: Timestamp | null;
}

export interface ChangeCountersTable {
  client_id: number;
  last_seq: ColumnType<string, string | number | undefined, string | number>;
  pruned_through: ColumnType<string, string | number | undefined, string | number>;
}

export interface ChangeLogTable {
  client_id: number;
  seq: ColumnType<string, string | number, never>;
  type: string;
  occurred_at: ColumnType<Date, Date | undefined, never>;
  object: ColumnType<Record<string, unknown>, string, never>;
}

export interface IdempotencyKeysTable {
  client_id: number;
  integration_id: number;
  key: string;
  request_hash: string;
  state: Generated<'pending' | 'done'>;
  response_status: number | null;
  response_body: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  created_at: TimestampWithDefault;
}

export interface PermitTables {
  permit_types: PermitTypesTable;
  standard_permits: StandardPermitsTable;
  standard_permit_vehicles: StandardPermitVehiclesTable;
  standard_permit_plates: StandardPermitPlatesTable;
  pushed_permits: PushedPermitsTable;
  pushed_permit_history: PushedPermitHistoryTable;
  idempotency_keys: IdempotencyKeysTable;
}

export interface LocationsTable {
  client_id: number;
  id: Generated<number>;
  name: string;
  created_at: TimestampWithDefault;
}

export interface TicketCategoriesTable {
  client_id: number;
  id: Generated<number>;
  name: string;
  created_at: TimestampWithDefault;
}

export interface ViolationTypesTable {
  client_id: number;
  id: Generated<number>;
  description: string;
  default_cost: DecimalWithDefault;
  bylaw_code: string | null;
  discount_amount: DecimalWithDefault;
  discount_hours: Generated<number>;
  category_id: number | null;
  created_at: TimestampWithDefault;
}

export type AppealState = 'none' | 'open' | 'granted' | 'denied';

export interface ViolationsTable {
  client_id: number;
  id: Generated<number>;
  uuid: string;
  ticket: string;
  vehicle_id: number | null;
  location_id: number | null;
  category_id: number | null;
  fine: Decimal;
  adjusted_fine: Decimal | null;
  adjustment_reason: string | null;
  comment: string | null;
  issued_at: Timestamp;
  due_at: Timestamp;
  spoiled_at: Timestamp | null;
  appeal_state: ColumnType<AppealState, AppealState | undefined, AppealState>;
  sent_to_collections_at: Timestamp | null;
  collections_batch_id: string | null;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
}

export interface ViolationDetailsTable {
  client_id: number;
  id: Generated<number>;
  violation_id: number;
  violation_type_id: number;
  fine: Decimal;
  discount_amount: DecimalWithDefault;
  discount_hours: Generated<number>;
  created_at: TimestampWithDefault;
}

export interface ViolationPaymentsTable {
  client_id: number;
  id: Generated<number>;
  violation_id: number;
  amount: Decimal;
  paid_at: TimestampWithDefault;
}

export interface ViolationAttachmentsTable {
  client_id: number;
  id: Generated<number>;
  violation_id: number;
  uuid: string;
  storage_location: string;
  name: string;
  ext: string;
  mime: string;
  created_at: TimestampWithDefault;
}

export interface CollectionsBatchesTable {
  client_id: number;
  id: string;
  integration_id: number;
  record_count: Generated<number>;
  created_at: TimestampWithDefault;
  /** Creation order (bigint, as text): the cursor of the operator's list. */
  seq: Generated<string>;
}

export interface CollectionsBatchItemsTable {
  client_id: number;
  batch_id: string;
  violation_id: number;
  /** json: read back parsed, written as JSON text */
  record: ColumnType<unknown, string, string>;
}

export interface DnttEntriesTable {
  client_id: number;
  id: Generated<number>;
  plate: string;
  plate_norm: string;
  location: Generated<string>;
  start_at: Timestamp;
  end_at: Timestamp;
  notes: Generated<string>;
  created_at: TimestampWithDefault;
}

export interface EnforcementTables {
  locations: LocationsTable;
  ticket_categories: TicketCategoriesTable;
  violation_types: ViolationTypesTable;
  violations: ViolationsTable;
  violation_details: ViolationDetailsTable;
  violation_payments: ViolationPaymentsTable;
  violation_attachments: ViolationAttachmentsTable;
  collections_batches: CollectionsBatchesTable;
  collections_batch_items: CollectionsBatchItemsTable;
  dntt_entries: DnttEntriesTable;
}

export type OperatorRole = 'admin' | 'officer' | 'finance';

export interface OperatorsTable {
  id: Generated<number>;
  username: string;
  username_key: string;
  display_name: string;
  role: OperatorRole;
  client_id: number | null;
  password_hash: string;
  disabled: Generated<boolean>;
  failed_sign_ins: Generated<number>;
  locked_until: Timestamp | null;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
}

export interface OperatorSessionsTable {
  id_hash: string;
  operator_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface OperatorActionsTable {
  /** bigint, as text */
  id: Generated<string>;
  at: TimestampWithDefault;
  operator_id: number | null;
  actor: string;
  client_id: number | null;
  resource: string;
  action: string;
  method: string;
  /** jsonb: read back parsed, written as JSON text */
  params: ColumnType<Record<string, string>, string, string>;
  status: number;
}

export interface OperatorTables {
  operators: OperatorsTable;
  operator_sessions: OperatorSessionsTable;
  operator_actions: OperatorActionsTable;
}

/** A bigint column: read as exact decimal text, written as text or a number. */
type BigintText = ColumnType<string, string | number, string | number>;

export interface WebhooksTable {
  client_id: number;
  id: Generated<number>;
  url: string;
  event_types: string[] | null;
  description: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Timestamp | null;
  enabled: Generated<boolean>;
  disabled_reason: string | null;
  disabled_at: Timestamp | null;
  cursor: BigintText;
  failed_attempts: Generated<number>;
  next_attempt_at: TimestampWithDefault;
  leased_by: string | null;
  leased_until: Timestamp | null;
  delivered_count: ColumnType<string, string | number | undefined, string | number>;
  failed_count: ColumnType<string, string | number | undefined, string | number>;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
}

export type DeliveryKind = 'event' | 'redelivery' | 'test';
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveriesTable {
  /** bigint, as text */
  id: Generated<string>;
  client_id: number;
  webhook_id: number;
  kind: DeliveryKind;
  message_id: string;
  seq: BigintText | null;
  type: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  last_status_code: number | null;
  latency_ms: number | null;
  last_error: string | null;
  next_attempt_at: Timestamp | null;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
}

export interface WebhookTables {
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

/** The whole database: each area adds its tables' interface here. */
export interface DB extends CoreTables, PermitTables, EnforcementTables, OperatorTables, WebhookTables {}
