import { Type } from '@sinclair/typebox';
import type { ApiRouteDefinition } from '../core/api-route.js';
import { IDEMPOTENCY_HEADER } from './fields.js';
import { idempotencyKey, withIdempotency } from './idempotency.js';
import { deletePermit, lotValueRows, pushPermit, stats, updatePermit } from './service.js';

const PermitAnswer = Type.Object({
  status: Type.Literal('success'),
  reference_id: Type.String({ format: 'uuid' }),
  InternalReferenceID: Type.String({ format: 'uuid' }),
});

const Amount = Type.Number();

export const permitRoutes: ApiRouteDefinition[] = [
  {
    method: 'POST',
    url: '/:client/v1/permits/push',
    scope: 'permit-create',
    summary: 'Push API: Permit Create — a paid or temporary permit from a pay station or parking app',
    description:
      `Optional \`${IDEMPOTENCY_HEADER}\` header: a repeat within 24 hours by the same integration with the same body ` +
      'replays the first answer and creates nothing; the same key with another body answers 422 (9033).',
    tags: ['permits'],
    response: PermitAnswer,
    handler: async ({ db, caller, fields, request }) => {
      const key = idempotencyKey(request.headers[IDEMPOTENCY_HEADER.toLowerCase()]);
      if (key === undefined) return pushPermit(db, caller, fields);
      return withIdempotency(db, caller, key, fields.body, async (trx) => ({ ...(await pushPermit(trx, caller, fields)) }));
    },
  },
  {
    method: 'POST',
    url: '/:client/v1/permits/update',
    scope: 'permit-create',
    summary: 'Push API: Permit Update — change the plate, end, amount or currency of a pushed permit',
    tags: ['permits'],
    response: PermitAnswer,
    handler: ({ db, caller, fields }) => updatePermit(db, caller, fields),
  },
  {
    method: 'POST',
    url: '/:client/v1/permits/delete',
    scope: 'permit-create',
    summary: 'Push API: Permit Delete — a pushed permit stops being valid (kept for audit)',
    tags: ['permits'],
    response: PermitAnswer,
    handler: ({ db, caller, fields }) => deletePermit(db, caller, fields),
  },
  {
    method: 'POST',
    url: '/:client/v1/permits/stats',
    scope: 'permit-stats',
    summary: 'Pull API: Permit Stats — permits valid now by type and zone',
    tags: ['permits'],
    response: Type.Object({ data: Type.Array(Type.Object({ type: Type.String(), zone: Type.String(), total: Type.String() })) }),
    handler: ({ db, caller, fields }) => stats(db, caller, fields),
  },
  {
    method: ['GET', 'POST'],
    url: '/:client/v1/permits/lot-values',
    scope: 'lot-values',
    summary: 'Lot Value API — the Lot Value Report, one row per lot',
    description: 'Documented as a GET carrying a JSON body; POST and an Authorization: Bearer header work too.',
    tags: ['permits'],
    response: Type.Array(
      Type.Object({
        lot_type: Type.String(),
        lot_name: Type.String(),
        default_cost: Amount,
        total_permits: Type.Integer(),
        rented_permits: Type.Integer(),
        utilized_pct: Type.Union([Amount, Type.Null()]),
        amount_projected: Amount,
        amount: Amount,
        tax_amount: Amount,
        tax_amount1: Amount,
        tax_amount2: Amount,
        total: Amount,
      }),
    ),
    handler: ({ db, caller }) => lotValueRows(db, caller),
  },
];
