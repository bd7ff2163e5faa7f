/**
 * Every kind of change the log records (docs/changes.md#event-catalogue): one list for the server
 * and the operator console (which bundles this file: it imports nothing).
 */
export const CHANGE_TYPES = [
  'permit.created',
  'permit.updated',
  'permit.deleted',
  'dntt.created',
  'dntt.ended',
  'alarm.set',
  'alarm.cleared',
  'vehicle.created',
  'vehicle.updated',
  'user.created',
  'user.updated',
  'violation.created',
  'violation.paid',
  'violation.voided',
  'violation.sent_to_collections',
  'lot.created',
  'lot.updated',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];
