import type { FieldSpec } from '../core/fields.js';

/** The longest a long poll may wait (`wait`), in seconds. */
export const MAX_WAIT_SECONDS = 30;
/** The most events one answer holds (`limit`). */
export const MAX_EVENTS = 1000;
export const DEFAULT_EVENTS = 100;

/** The attributes of the change feed (docs/api.md#change-feed), in the query string or the body. */
export const CHANGES_FIELDS = {
  after: {
    names: ['after', 'cursor'],
    kind: 'text',
    max: 20,
    about: 'the next_cursor of the previous answer (absent: from the oldest event kept)',
  },
  limit: { names: ['limit'], kind: 'id', about: `events per answer, 1 to ${MAX_EVENTS} (default ${DEFAULT_EVENTS})` },
  types: { names: ['types'], kind: 'text', max: 1000, about: 'a comma-separated list of event types to answer (absent: all)' },
  wait: {
    names: ['wait'],
    kind: 'text',
    max: 2,
    about: `seconds to wait for an event when there is none yet, 0 to ${MAX_WAIT_SECONDS} (a long poll; default 0)`,
  },
} as const satisfies Record<string, FieldSpec>;
