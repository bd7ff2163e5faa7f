import { Type } from '@sinclair/typebox';
import { type AdminOperation, clientOperation, NoBody, NoParams, NoQuery } from '../admin/operation.js';
import { Answer, Id } from '../admin/schemas.js';
import { dashboard } from './service.js';

const PermitCount = Type.Integer({ minimum: 0 });

const DashboardAnswer = Answer({
  lots: Type.Array(
    Answer({
      id: Id,
      name: Type.String(),
      capacity: Type.Integer({ minimum: 0 }),
      standard_permits: { ...PermitCount, description: 'standard permits valid now whose permit type is in the lot' },
      pushed_permits: { ...PermitCount, description: 'pushed permits valid now whose zone matched the lot' },
      valid_permits: { ...PermitCount, description: 'standard_permits + pushed_permits' },
    }),
  ),
  overdue_violations: Type.Integer({ minimum: 0, description: 'the violations the next collections export would send' }),
  disconnected_permits: Type.Integer({ minimum: 0, description: 'live pushed permits whose zone matched no lot (the disconnected records)' }),
});

export const dashboardOperations: AdminOperation[] = [
  clientOperation({
    resource: 'dashboard',
    action: 'show',
    method: 'GET',
    path: '/clients/:code/dashboard',
    summary: 'Permits valid now per lot against its capacity, the overdue violations count and the disconnected records count',
    params: NoParams,
    query: NoQuery,
    body: NoBody,
    response: DashboardAnswer,
    run: ({ db }, { client }) => dashboard(db, client.clientId),
  }),
];
