import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { onlyRow } from '../db/database.js';

/** How many violations one statement of the export marks and records, and one read of a batch streams. */
export const EXPORT_PAGE_SIZE = 1000;

/** A time as the seed writes it: UTC with microseconds, `2016-05-03T20:00:00.000000Z`. */
const utc = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A lookup row joined as `alias` (make, colour, …) as its seed object, or null when absent. */
const lookup = (alias: string, fields: string) => `case when ${alias}.id is null then null else json_build_object(${fields}) end`;

const DRIVER = `json_build_object(
  'UserID', u.id, 'firstName', u.first_name, 'lastName', u.last_name, 'username', u.user_name, 'email', u.email,
  'street', u.street, 'city', u.city, 'prov', u.province, 'postal', u.postal_code,
  'street2', u.street2, 'city2', u.city2, 'prov2', u.province2, 'postal2', u.postal_code2,
  'phonecell', u.phone_cell, 'status', 1, 'UserTypeID', u.user_type_id, 'employNo', u.employ_no, 'ePhone', u.employee_phone,
  'studentNo', u.student_no, 'sPhone', u.student_phone, 'lastUpdated', ${utc('u.updated_at')}, 'created', ${utc('u.created_at')},
  'DLNum', u.driver_licence_num, 'DOB', to_char(u.date_of_birth, 'YYYY-MM-DD"T00:00:00.000000Z"'),
  'ExtendedID', u.unique_id, 'lockerUserTypeID', u.locker_user_type_id, 'peopleAlert', (u.alert is not null)::int,
  'DLprov', u.driver_licence_prov, 'loginSource', u.login_source)`;

const VEHICLE = `case when ve.id is null then null else json_build_object(
  'VehicleID', ve.id, 'Active', 1, 'lastUpdate', ${utc('ve.updated_at')}, 'Plate', ve.plate,
  'PlateTypeID', ve.plate_type_id, 'ProvID', ve.province_id, 'MakeID', ve.make_id, 'TypeID', ve.vehicle_type_id,
  'ColourID', ve.colour_id, 'Year', ve.year, 'TotalVio', null, 'TotalUnpaid', null, 'TotalWarning', null,
  'created', ${utc('ve.created_at')}, 'externallookupdate', null, 'externallookupRequestID', null,
  'modified', ${utc('ve.updated_at')}, 'vehicleAlert', ve.alert, 'vin', ve.vin,
  'drivers', (select coalesce(json_agg(${DRIVER} order by u.id), '[]'::json)
                from vehicle_drivers vd join users u on u.client_id = vd.client_id and u.id = vd.user_id
               where vd.client_id = m.client_id and vd.vehicle_id = ve.id),
  'make', ${lookup('mk', `'MakeID', mk.id, 'MakeName', mk.name, 'modified', ${utc('mk.created_at')}`)},
  'colour', ${lookup('co', `'ColourID', co.id, 'ColourName', co.name, 'ColourKey', null, 'modified', ${utc('co.created_at')}`)},
  'vehicle_type', ${lookup('vt', `'TypeID', vt.id, 'TypeName', vt.name, 'modified', ${utc('vt.created_at')}`)},
  'plate_type', ${lookup('pt', `'TypeID', pt.id, 'TypeName', pt.name, 'modified', ${utc('pt.created_at')}, 'typeCode', coalesce(pt.code, lower(pt.name))`)},
  'province', ${lookup('pr', `'ProvID', pr.id, 'ProvName', pr.name, 'Country', case pr.country when 'CA' then 1 when 'US' then 2 end, 'ProvCode', pr.code, 'modified', ${utc('pr.created_at')}`)}) end`;

const DETAILS = `(select coalesce(json_agg(json_build_object(
  'ViolationsDetailID', d.id, 'ViolationID', d.violation_id, 'Ticket', m.ticket, 'ViolationTypeID', d.violation_type_id,
  'LocationID', m.location_id, 'offenceFine', d.fine, 'discountFlag', (d.discount_amount > 0)::int,
  'discountAmount', d.discount_amount, 'discountHours', d.discount_hours, 'created', ${utc('d.created_at')},
  'type', json_build_object(
    'ViolationTypeID', t.id, 'ViolationDescr', t.description, 'DefaultCost', t.default_cost, 'created', ${utc('t.created_at')},
    'discountFlag', t.discount_amount > 0, 'discountAmount', t.discount_amount, 'discountHours', t.discount_hours,
    'adminOnly', false, 'violationkey', null, 'modified', ${utc('t.created_at')}, 'category_id', t.category_id,
    'adjustable', false, 'bylawcode', t.bylaw_code)) order by d.id), '[]'::json)
  from violation_details d join violation_types t on t.client_id = d.client_id and t.id = d.violation_type_id
  where d.client_id = m.client_id and d.violation_id = m.id)`;

const ATTACHMENTS = `(select coalesce(json_agg(json_build_object(
  'attachID', a.id, 'storageLocation', a.storage_location, 'attachName', a.name, 'attachExt', a.ext, 'attachMime', a.mime,
  'relatedType', 'VIOLATIONS', 'relatedID', m.id, 'relatedNote', m.ticket, 'created', ${utc('a.created_at')},
  'archived', null, 'uniqueid', a.uuid) order by a.id), '[]'::json)
  from violation_attachments a where a.client_id = m.client_id and a.violation_id = m.id)`;

const CATEGORY = `case when c.id is null then null else json_build_object(
  'TicketTypeID', c.id, 'TicketTypeName', c.name, 'HandHeldVisible', 0, 'modified', ${utc('c.created_at')},
  'archived', null, 'appliesTo', 1, 'enableFailToIdentify', 0) end`;

const LOCATION = `case when lo.id is null then null else json_build_object('LocationID', lo.id, 'LocationName', lo.name,
  'WriterVisible', 1, 'GisNo', 0, 'modified', ${utc('lo.created_at')}) end`;

/** The rows a record is built from, joined once per violation `m` (joins, not per-key subqueries: cheaper by far). */
const RECORD_FROM = `m
  left join vehicles ve on ve.client_id = m.client_id and ve.id = m.vehicle_id
  left join lookups mk on mk.client_id = m.client_id and mk.kind = 'make' and mk.id = ve.make_id
  left join lookups co on co.client_id = m.client_id and co.kind = 'colour' and co.id = ve.colour_id
  left join lookups vt on vt.client_id = m.client_id and vt.kind = 'vehicle_type' and vt.id = ve.vehicle_type_id
  left join lookups pt on pt.client_id = m.client_id and pt.kind = 'plate_type' and pt.id = ve.plate_type_id
  left join lookups pr on pr.client_id = m.client_id and pr.kind = 'province' and pr.id = ve.province_id
  left join locations lo on lo.client_id = m.client_id and lo.id = m.location_id
  left join ticket_categories c on c.client_id = m.client_id and c.id = m.category_id`;

/**
 * One collections record in the seed's shape and key order, built from the marked row `m` and
 * the rows RECORD_FROM joins to it.
 * json_build_object takes at most 50 pairs and the seed's violation has 50 keys with nested
 * objects, so the object is built in two halves joined as text. Only modelled values are
 * filled; the seed's other keys keep their "nothing" value (null or 0). No secret ever enters:
 * drivers are built from named profile columns only.
 */
const RECORD = `(left(json_build_object(
  'ViolationID', m.id, 'SemPermitID', 0, 'Ticket', m.ticket, 'VehicleID', m.vehicle_id, 'Spoiled', 0,
  'TicketType', m.category_id, 'Issued', ${utc('m.issued_at')}, 'convNotice', null, 'Due', ${utc('m.due_at')},
  'ViolationTypeID', -1, 'Fine', m.fine, 'AdjustedFine', coalesce(m.adjusted_fine, 0), 'Towing', 0, 'taxAmount', '0.0000',
  'Writer', null, 'LocationID', m.location_id, 'Comment', m.comment, 'TicketAppeal', null,
  'appealType', 0, 'appealFormat', null, 'AccessAdminID', null, 'ActionedPer', null, 'Created', ${utc('m.created_at')},
  'AppealUserID', 0, 'AppealProcessDate', null)::text, -1) || ', ' || substr(json_build_object(
  'AppealAdminID', 0, 'AppealComment', null, 'AppealAdminComment', null, 'AutoNotice', 0, 'ProcessedByCollection', null,
  'SentToCollections', ${utc('m.sent_to_collections_at')}, 'PrivateComments', null, 'DriveAway', 0, 'UUID', m.uuid,
  'VioNotice', null, 'latitude', null, 'longitude', null, 'Warning', null, 'userid', null, 'incidentID', null,
  'failToIdentify', null, 'pin', null, 'duplicate', null, 'AdjustmentReason', m.adjustment_reason, 'user', null,
  'vehicle', ${VEHICLE}, 'location', ${LOCATION}, 'details', ${DETAILS}, 'attachments', ${ATTACHMENTS}, 'category', ${CATEGORY})::text, 2))::json`;

/**
 * The overdue rule (docs/api.md#overdue-violations-to-collections) on alias `v`: due date
 * passed, not voided, not under an open appeal, a balance owing (the fine after adjustment
 * minus payments), not yet sent.
 */
export const OVERDUE = `v.sent_to_collections_at is null and v.spoiled_at is null and v.due_at < now() and v.appeal_state <> 'open'
  and coalesce(v.adjusted_fine, v.fine) > coalesce((select sum(p.amount) from violation_payments p
        where p.client_id = v.client_id and p.violation_id = v.id), 0)`;

/**
 * Claims up to `limit` overdue violations after `afterId` in ONE statement: locks them
 * (skipping rows another export holds), marks them sent in `batchId`, and stores each one's
 * record in the batch. Runs inside the export's transaction, so a failure anywhere undoes all.
 */
export async function claimOverduePage(trx: Kysely<DB>, clientId: number, batchId: string, afterId: number, limit: number) {
  const result = await sql<{ count: number; last_id: number | null }>`
    with picked as (
      select v.id from violations v
       where v.client_id = ${clientId} and v.id > ${afterId} and ${sql.raw(OVERDUE)}
       order by v.id
       limit ${limit}
         for update of v skip locked
    ), m as (
      update violations v set sent_to_collections_at = now(), collections_batch_id = ${batchId}::uuid, updated_at = now()
        from picked where v.client_id = ${clientId} and v.id = picked.id
      returning v.*
    ), items as (
      insert into collections_batch_items (client_id, batch_id, violation_id, record)
      select m.client_id, ${batchId}::uuid, m.id, ${sql.raw(RECORD)} from ${sql.raw(RECORD_FROM)}
      returning violation_id
    )
    select count(*)::int as count, max(violation_id) as last_id from items
  `.execute(trx);
  const row = onlyRow(result);
  return { count: Number(row.count), lastId: row.last_id === null ? null : Number(row.last_id) };
}

/** One page of a stored batch: the records' JSON texts as sent, in violation id order. */
export async function readBatchPage(db: Kysely<DB>, clientId: number, batchId: string, afterId: number, limit: number) {
  const result = await sql<{ violation_id: number; record: string }>`
    select violation_id, record::text as record from collections_batch_items
     where client_id = ${clientId} and batch_id = ${batchId}::uuid and violation_id > ${afterId}
     order by violation_id limit ${limit}
  `.execute(db);
  return result.rows;
}

/** A time as the other change events write theirs (JavaScript's ISO text): UTC, milliseconds, `Z`. */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The violation `v` as its change events carry it: the operator's view (the admin answer's
 * columns, decimals as text) with `balance`, what is still owed. Built by the database so that
 * an export writes a page of events in one statement, in the same shape as a single event.
 */
const VIOLATION_EVENT = `(select json_build_object(
  'id', v.id, 'uuid', v.uuid, 'ticket', v.ticket, 'vehicle_id', v.vehicle_id,
  'plate', (select ve.plate from vehicles ve where ve.client_id = v.client_id and ve.id = v.vehicle_id),
  'location_id', v.location_id, 'category_id', v.category_id, 'fine', v.fine::text, 'adjusted_fine', v.adjusted_fine::text,
  'issued_at', ${iso('v.issued_at')}, 'due_at', ${iso('v.due_at')}, 'spoiled_at', ${iso('v.spoiled_at')},
  'appeal_state', v.appeal_state, 'sent_to_collections_at', ${iso('v.sent_to_collections_at')},
  'collections_batch_id', v.collections_batch_id,
  'violation_type_ids', array(select d.violation_type_id from violation_details d where d.client_id = v.client_id and d.violation_id = v.id order by d.id),
  'paid', paid.amount::text, 'balance', (coalesce(v.adjusted_fine, v.fine) - paid.amount)::text,
  'created_at', ${iso('v.created_at')}, 'updated_at', ${iso('v.updated_at')})
  from (select coalesce(sum(p.amount), 0)::numeric(12, 2) as amount from violation_payments p
         where p.client_id = v.client_id and p.violation_id = v.id) paid)`;

/** The violation as its change events carry it, read in the caller's transaction. */
export async function violationEvent(db: Kysely<DB>, clientId: number, violationId: number): Promise<Record<string, unknown>> {
  const result = await sql<{ object: Record<string, unknown> }>`
    select ${sql.raw(VIOLATION_EVENT)} as object from violations v where v.client_id = ${clientId} and v.id = ${violationId}
  `.execute(db);
  return onlyRow(result).object;
}

/**
 * Writes `violation.sent_to_collections` for one page of an export in ONE statement: the
 * batch's items after `afterId`, the first `count` by violation id, numbered from `firstSeq` in id
 * order. The page is the one claimOverduePage marked from the same `afterId`.
 */
export async function insertSentToCollectionsEvents(
  trx: Kysely<DB>,
  clientId: number,
  batchId: string,
  afterId: number,
  count: number,
  firstSeq: bigint,
): Promise<void> {
  await sql`
    insert into change_log (client_id, seq, type, object)
    select v.client_id, ${String(firstSeq)}::bigint + row_number() over (order by v.id) - 1, 'violation.sent_to_collections', ${sql.raw(VIOLATION_EVENT)}::jsonb
      from (select violation_id from collections_batch_items
             where client_id = ${clientId} and batch_id = ${batchId}::uuid and violation_id > ${afterId}
             order by violation_id limit ${count}) page
      join violations v on v.client_id = ${clientId} and v.id = page.violation_id
  `.execute(trx);
}
