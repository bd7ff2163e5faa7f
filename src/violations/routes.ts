import type { ApiRouteDefinition } from '../core/api-route.js';
import { ApiError } from '../core/errors.js';
import { batchBody, emptyExportBody, exportOverdue, requireBatch } from './collections.js';
import { COLLECTIONS_FIELDS } from './fields.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const violationRoutes: ApiRouteDefinition[] = [
  {
    method: 'POST',
    url: '/:client/v1/violations/send_overdue_to_collections',
    scope: 'violations-collections',
    summary: 'Pull API: Overdue Violations — send the overdue violations to collections, exactly once',
    description:
      'Answers `{"batch_id","records":[…],"state":{"version"}}` and marks the records as sent in the same transaction. ' +
      'With `"batch_id"`, answers that earlier batch again unchanged and marks nothing. ' +
      'When nothing is overdue: `"batch_id":null` and no records; no batch is stored.',
    tags: ['violations'],
    attributes: [{ spec: COLLECTIONS_FIELDS.batchId }],
    errors: [9030, 9033, 9009],
    handler: async ({ db, caller, fields, reply }) => {
      const clientId = caller.client.clientId;
      const replay = fields.text(COLLECTIONS_FIELDS.batchId);
      let batchId: string | null;
      if (replay !== undefined) {
        if (!UUID.test(replay)) throw new ApiError(9033, fields.nameOf(COLLECTIONS_FIELDS.batchId));
        batchId = replay.toLowerCase();
        await requireBatch(db, clientId, batchId);
      } else {
        batchId = await exportOverdue(db, clientId, caller.integrationId);
      }
      reply.type('application/json; charset=utf-8');
      if (batchId === null) return emptyExportBody();
      reply.header('x-batch-id', batchId);
      return batchBody(db, clientId, batchId);
    },
  },
];
