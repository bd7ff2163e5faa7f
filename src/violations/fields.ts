import type { FieldSpec } from '../core/fields.js';

/**
 * The attributes of violations/send_overdue_to_collections
 * (docs/api.md#overdue-violations-to-collections).
 */
export const COLLECTIONS_FIELDS = {
  /** A batch to replay (an addition; docs/api.md#overdue-violations-to-collections). */
  batchId: {
    names: ['batch_id', 'batchId'],
    kind: 'text',
    max: 36,
    blankIsInvalid: true,
    about: 'the batch_id of an earlier answer (a UUID), to answer that batch again; blank is 9033, an unknown batch 9009',
  },
} as const satisfies Record<string, FieldSpec>;
