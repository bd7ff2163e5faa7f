import type { FieldSpec } from '../core/fields.js';

/** The attributes of violations/send_overdue_to_collections (API.md §5). */
export const COLLECTIONS_FIELDS = {
  /** A batch to replay (an addition; API.md §5). */
  batchId: { names: ['batch_id', 'batchId'], max: 36, blankIsInvalid: true },
} as const satisfies Record<string, FieldSpec>;
