import { Type } from '@sinclair/typebox';
import type { ApiRouteDefinition } from '../core/api-route.js';
import { Fields } from '../core/fields.js';
import { readFeed } from './feed.js';
import { CHANGES_FIELDS } from './fields.js';

const f = CHANGES_FIELDS;

/** The query string's parameters, as attributes the body may also give (the body wins). */
function queryAttributes(query: unknown): Record<string, unknown> {
  return query !== null && typeof query === 'object' ? { ...query } : {};
}

export const changeRoutes: ApiRouteDefinition[] = [
  {
    method: ['GET', 'POST'],
    url: '/:client/v1/changes',
    scope: 'changes-read',
    summary: 'Change feed — the events of the client after a cursor, in commit order (an addition)',
    description:
      'Answers `{"events":[…],"next_cursor":"…"}` in sequence order, without gaps; `after`, `limit`, `types` and `wait` may be given ' +
      'in the query string or the body. With `wait`, an empty answer waits up to that many seconds for the next event.',
    tags: ['changes'],
    attributes: [{ spec: f.after }, { spec: f.limit }, { spec: f.types }, { spec: f.wait }],
    errors: [9030, 9033, 9041],
    response: Type.Object({
      events: Type.Array(
        Type.Object({
          seq: Type.Integer(),
          type: Type.String(),
          timestamp: Type.String({ format: 'date-time' }),
          data: Type.Object({}, { additionalProperties: true }),
        }),
      ),
      next_cursor: Type.String(),
    }),
    handler: ({ db, caller, fields, request }) => readFeed(db, caller.client.clientId, new Fields({ ...queryAttributes(request.query), ...fields.body })),
  },
];
