import { Type } from '@sinclair/typebox';
import type { ApiRouteDefinition } from '../core/api-route.js';
import { LotValueRecord } from './schemas.js';
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_MAX, PERMIT_FIELDS } from './fields.js';
import { idempotencyKey, withIdempotency } from './idempotency.js';
import { deletePermit, lotValueRows, pushPermit, stats, updatePermit } from './service.js';

const PermitAnswer = Type.Object({
  status: Type.Literal('success'),
  reference_id: Type.String({ format: 'uuid' }),
  InternalReferenceID: Type.String({ format: 'uuid' }),
});

const f = PERMIT_FIELDS;

/** The vendor's push example (docs/api.md#permitspush), spelt as the vendor spells it. */
const PUSH_EXAMPLE = {
  Amount: '14.50',
  CurrencyID: 'CAD',
  LicencePlate: 'PL8RDR',
  zone: 'Lot 4',
  permitNo: 'L4-2001',
  startTime: '2026-11-23T14:00:00',
  endTime: '2026-11-23T18:30:00',
  promoCode: 'DISCOUNT20',
};

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
    attributes: [
      { spec: f.plate, required: true },
      { spec: f.amount },
      { spec: f.currency },
      { spec: f.startTime, required: true },
      { spec: f.endTime, required: true },
      { spec: f.permitNo },
      { spec: f.ticketNumber },
      { spec: f.zone },
      { spec: f.promoCode },
    ],
    errors: [9006, 9030, 9031, 9007, 9004, 9005, 9033, 9022, { code: 9033, status: 422, when: `the ${IDEMPOTENCY_HEADER} was used before with another body` }],
    example: PUSH_EXAMPLE,
    requestHeaders: {
      [IDEMPOTENCY_HEADER]: {
        type: 'string',
        maxLength: IDEMPOTENCY_KEY_MAX,
        description:
          'A repeat within 24 hours by the same integration with the same key and body replays the first answer and creates nothing. Over 255 characters: 9030.',
      },
    },
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
    attributes: [{ spec: f.referenceId, required: true }, { spec: f.plate }, { spec: f.amount }, { spec: f.currency }, { spec: f.endTime }],
    errors: [9008, 9030, 9009, 9002, 9033, 9005, 9022],
    handler: ({ db, caller, fields }) => updatePermit(db, caller, fields),
  },
  {
    method: 'POST',
    url: '/:client/v1/permits/delete',
    scope: 'permit-create',
    summary: 'Push API: Permit Delete — a pushed permit stops being valid (kept for audit)',
    tags: ['permits'],
    response: PermitAnswer,
    attributes: [{ spec: f.referenceId, required: true }],
    errors: [9008, 9030, 9009, 9002],
    handler: ({ db, caller, fields }) => deletePermit(db, caller, fields),
  },
  {
    method: 'POST',
    url: '/:client/v1/permits/stats',
    scope: 'permit-stats',
    summary: 'Pull API: Permit Stats — permits valid now by type and zone',
    tags: ['permits'],
    response: Type.Object({ data: Type.Array(Type.Object({ type: Type.String(), zone: Type.String(), total: Type.String() })) }),
    attributes: [{ spec: f.zones }],
    errors: [9033, 9030],
    handler: ({ db, caller, fields }) => stats(db, caller, fields),
  },
  {
    method: ['GET', 'POST'],
    url: '/:client/v1/permits/lot-values',
    scope: 'lot-values',
    summary: 'Lot Value API — the Lot Value Report, one row per lot',
    description: 'Documented as a GET carrying a JSON body; POST and an Authorization: Bearer header work too.',
    tags: ['permits'],
    attributes: [],
    errors: [],
    response: Type.Array(LotValueRecord),
    handler: ({ db, caller }) => lotValueRows(db, caller),
  },
];
