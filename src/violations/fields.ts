import type { FieldSpec } from '../core/fields.js';

/**
 * The attributes of violations/send_overdue_to_collections
 * (docs/api.md#overdue-violations-to-collections).
 */
export const COLLECTIONS_FIELDS = {
  /** A batch to replay (an addition; docs/api.md#overdue-violations-to-collections). */
  batchId: { names: ['batch_id', 'batchId'], max: 36, blankIsInvalid: true },
} as const satisfies Record<string, FieldSpec>;
