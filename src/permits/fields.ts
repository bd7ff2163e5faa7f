import type { FieldSpec } from '../core/fields.js';

/**
 * The permit attributes of docs/api.md#permits: the seed's possible names (first listed wins), limits
 * and codes. push, update and delete all read through this one table.
 */
export const PERMIT_FIELDS = {
  plate: {
    names: ['plate', 'LicencePlate', 'LicensePlate'],
    kind: 'text',
    max: 25,
    missing: 9006,
    about: 'matched by its normalised form (upper case without spaces, - or .)',
  },
  amount: { names: ['amount', 'Amount'], kind: 'amount' },
  currency: { names: ['currency', 'CurrencyID'], kind: 'text', max: 10, about: "upper-cased; the client's currency when absent" },
  // A timestamp is 19 characters; a longer value is a malformed time, not an over-long field.
  startTime: {
    names: ['startTime', 'StartDateUtc'],
    kind: 'timestamp',
    max: 20,
    missing: 9031,
    invalid: 9007,
    tooLong: 9007,
    about: "read in the client's input time zone",
  },
  endTime: {
    names: ['endTime', 'EndDateUtc'],
    kind: 'timestamp',
    max: 20,
    missing: 9004,
    invalid: 9005,
    tooLong: 9005,
    about: "read in the client's input time zone; later than the start",
  },
  permitNo: { names: ['permitNo'], kind: 'text', max: 50 },
  ticketNumber: { names: ['TicketNumber'], kind: 'text', max: 50 },
  zone: { names: ['zone', 'ParkingZoneName'], kind: 'text', max: 200, about: "matched to the client's lots by name, in any case" },
  promoCode: { names: ['promoCode'], kind: 'text', max: 50 },
  referenceId: {
    names: ['referenceid', 'referenceID', 'reference_id'],
    kind: 'text',
    max: 50,
    missing: 9008,
    about: 'the reference_id permits/push answered (a UUID, any case); another value is 9009',
  },
  zones: {
    names: ['zones'],
    kind: 'text',
    about: 'a comma-separated list of zone names, matched in any case; at most 1000 distinct names (else 9030); absent or empty: every zone',
  },
} as const satisfies Record<string, FieldSpec>;

/** The request header of permits/push (docs/api.md#permitspush), and its limit. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_MAX = 255;
