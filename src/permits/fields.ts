import type { FieldSpec } from '../core/fields.js';

/**
 * The permit attributes of docs/api.md#permits: the seed's possible names (first listed wins), limits
 * and codes. push, update and delete all read through this one table.
 */
export const PERMIT_FIELDS = {
  plate: { names: ['plate', 'LicencePlate', 'LicensePlate'], max: 25, missing: 9006 },
  amount: { names: ['amount', 'Amount'] },
  currency: { names: ['currency', 'CurrencyID'], max: 10 },
  // A timestamp is 19 characters; a longer value is a malformed time, not an over-long field.
  startTime: { names: ['startTime', 'StartDateUtc'], max: 20, missing: 9031, invalid: 9007, tooLong: 9007 },
  endTime: { names: ['endTime', 'EndDateUtc'], max: 20, missing: 9004, invalid: 9005, tooLong: 9005 },
  permitNo: { names: ['permitNo'], max: 50 },
  ticketNumber: { names: ['TicketNumber'], max: 50 },
  zone: { names: ['zone', 'ParkingZoneName'], max: 200 },
  promoCode: { names: ['promoCode'], max: 50 },
  referenceId: { names: ['referenceid', 'referenceID', 'reference_id'], max: 50, missing: 9008 },
  zones: { names: ['zones'] },
} as const satisfies Record<string, FieldSpec>;

/** The request header of permits/push (docs/api.md#permitspush), and its limit. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_MAX = 255;
