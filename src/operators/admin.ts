import { Type } from '@sinclair/typebox';
import { type AdminOperation, DEFAULT_PAGE_SIZE, installationOperation, NoBody, NoParams, NoQuery } from '../admin/operation.js';
import { Answer, DateTime, Id, Instant, NewestFirstPageQuery, Nullable, Page, PageQuery } from '../admin/schemas.js';
import { listOperatorActions } from './actions.js';
import * as operators from './service.js';

const Role = Type.Union([Type.Literal('admin'), Type.Literal('officer'), Type.Literal('finance')], { description: 'admin | officer | finance' });
const DisplayName = Type.String({ minLength: 1, maxLength: 200 });
/** At least 12 characters; the upper bound keeps one sign-in's hashing cheap. */
const Password = Type.String({ minLength: 12, maxLength: 1024, description: 'at least 12 characters' });
const UsernameParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: 100, description: 'the username (any case)' }) });

/** An operator as every answer shows one (never the password hash). */
const OperatorAnswer = Answer({
  id: Id,
  username: Type.String(),
  display_name: Type.String(),
  role: Role,
  client_code: Nullable(Type.String()),
  disabled: Type.Boolean(),
  locked_until: Nullable(DateTime),
  created_at: DateTime,
  updated_at: DateTime,
});

/** One recorded operator action. */
const ActionAnswer = Answer({
  id: Id,
  at: DateTime,
  operator_id: Nullable(Id),
  actor: Type.String({ description: 'the operator username, or admin-token, or cli' }),
  client_code: Nullable(Type.String()),
  resource: Type.String(),
  action: Type.String(),
  method: Type.String(),
  params: Type.Object({}, { additionalProperties: Type.String(), description: 'the path parameters of the call' }),
  status: Type.Integer(),
});

export const operatorOperations: AdminOperation[] = [
  installationOperation({
    resource: 'operators',
    action: 'create',
    method: 'POST',
    path: '/operators',
    summary: 'Create an operator account of the console',
    body: Type.Object({
      username: Type.String({ minLength: 1, maxLength: 100, description: 'letters, digits, . _ - @; unique in any case' }),
      display_name: DisplayName,
      role: Role,
      client: Type.Optional(Type.String({ minLength: 1, description: 'the client code the operator works for; absent: every client' })),
      password: Password,
    }),
    params: NoParams,
    query: NoQuery,
    status: 201,
    response: OperatorAnswer,
    run: ({ db }, { body }) => operators.createOperator(db, body),
  }),
  installationOperation({
    resource: 'operators',
    action: 'list',
    method: 'GET',
    path: '/operators',
    summary: 'List operator accounts',
    query: PageQuery,
    params: NoParams,
    body: NoBody,
    response: Page(OperatorAnswer),
    run: ({ db }, { query }) => operators.listOperators(db, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor),
  }),
  installationOperation({
    resource: 'operators',
    action: 'show',
    method: 'GET',
    path: '/operators/:username',
    summary: 'Show an operator account',
    params: UsernameParams,
    query: NoQuery,
    body: NoBody,
    response: OperatorAnswer,
    run: ({ db }, { params }) => operators.showOperator(db, params.username),
  }),
  installationOperation({
    resource: 'operators',
    action: 'update',
    method: 'PATCH',
    path: '/operators/:username',
    summary: "Change an operator's display name, role or client",
    params: UsernameParams,
    query: NoQuery,
    body: Type.Object({
      display_name: Type.Optional(DisplayName),
      role: Type.Optional(Role),
      client: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()], { description: 'a client code, or null for every client' })),
    }),
    response: OperatorAnswer,
    run: ({ db }, { params, body }) => operators.updateOperator(db, params.username, body),
  }),
  installationOperation({
    resource: 'operators',
    action: 'disable',
    method: 'POST',
    path: '/operators/:username/disable',
    summary: 'Disable an operator: no sign-in, and its sessions end now',
    params: UsernameParams,
    query: NoQuery,
    body: NoBody,
    response: OperatorAnswer,
    run: ({ db }, { params }) => operators.disableOperator(db, params.username),
  }),
  installationOperation({
    resource: 'operators',
    action: 'enable',
    method: 'POST',
    path: '/operators/:username/enable',
    summary: 'Enable an operator again (also lifts a lockout)',
    params: UsernameParams,
    query: NoQuery,
    body: NoBody,
    response: OperatorAnswer,
    run: ({ db }, { params }) => operators.enableOperator(db, params.username),
  }),
  installationOperation({
    resource: 'operators',
    action: 'set-password',
    method: 'PUT',
    path: '/operators/:username/password',
    summary: "Set an operator's password (ends its sessions, lifts a lockout)",
    params: UsernameParams,
    query: NoQuery,
    body: Type.Object({ password: Password }),
    response: OperatorAnswer,
    run: ({ db }, { params, body }) => operators.setOperatorPassword(db, params.username, body.password),
  }),
  installationOperation({
    resource: 'operator-actions',
    action: 'list',
    method: 'GET',
    path: '/operator-actions',
    summary: 'Admin calls that changed something (who, what, when, status), newest first; ?operator=, ?client=, ?resource=, ?since= and ?until= filter',
    query: Type.Object({
      ...NewestFirstPageQuery.properties,
      operator: Type.Optional(Type.String({ minLength: 1, description: 'a username, admin-token or cli' })),
      client: Type.Optional(Type.String({ minLength: 1, description: 'a client code' })),
      since: Type.Optional(Instant),
      until: Type.Optional(Instant),
      resource: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'only actions on this resource, e.g. tokens' })),
    }),
    params: NoParams,
    body: NoBody,
    response: Page(ActionAnswer),
    run: ({ db, auth }, { query }) => listOperatorActions(db, auth, query, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor),
  }),
];
