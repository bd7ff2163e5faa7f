import { DEFAULT_PAGE_SIZE, type AdminOperation, clientOperation, NoParams, NoQuery, NoBody } from '../admin/operation.js';
import { IdParams, Page } from '../admin/schemas.js';
import { BUILT_IN_LOGIN_SOURCE } from '../tenants/service.js';
import { Fields } from '../core/fields.js';
import { PROFILE_FIELDS, readProfile } from './fields.js';
import { LockerUserTypeRecord, NewLockerUserType, NewUserType, UserBody, UserListQuery, UserRecord, UserTypeRecord } from './schemas.js';
import { listUsers, saveProfile, showUser } from './service.js';
import { createLockerUserType, createUserType, listLockerUserTypes, listUserTypes } from './user-types.js';

export const profileOperations: AdminOperation[] = [
  clientOperation({
    resource: 'users',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/users',
    summary: `Create a user (the attributes of profiles/push; login_source defaults to ${BUILT_IN_LOGIN_SOURCE})`,
    body: UserBody,
    params: NoParams,
    query: NoQuery,
    status: 201,
    response: UserRecord,
    run: async ({ db }, { client, body }) => {
      const given = new Fields(body);
      const input = readProfile(given.has(PROFILE_FIELDS.login_source) ? given : new Fields({ ...body, login_source: BUILT_IN_LOGIN_SOURCE }));
      return showUser(db, client.clientId, await saveProfile(db, client.clientId, input, 'create'));
    },
  }),
  clientOperation({
    resource: 'users',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/users',
    summary: "List a client's users; ?email=, ?name= (the start of a first, last or full name) and ?unique_id= filter",
    query: UserListQuery,
    params: NoParams,
    body: NoBody,
    response: Page(UserRecord),
    run: ({ db }, { client, query }) => listUsers(db, client.clientId, { ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE }),
  }),
  clientOperation({
    resource: 'users',
    action: 'show',
    method: 'GET',
    path: '/clients/:code/users/:id',
    summary: 'Show a user with the vehicles they drive',
    params: IdParams,
    query: NoQuery,
    body: NoBody,
    response: UserRecord,
    run: ({ db }, { client, params }) => showUser(db, client.clientId, params.id),
  }),
  clientOperation({
    resource: 'user-types',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/user-types',
    summary: 'Create a user type',
    body: NewUserType,
    params: NoParams,
    query: NoQuery,
    status: 201,
    response: UserTypeRecord,
    run: ({ db }, { client, body }) => createUserType(db, client.clientId, body),
  }),
  clientOperation({
    resource: 'user-types',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/user-types',
    summary: "List a client's user types",
    params: NoParams,
    query: NoQuery,
    body: NoBody,
    response: Page(UserTypeRecord),
    run: async ({ db }, { client }) => ({ items: await listUserTypes(db, client.clientId), next_cursor: null }),
  }),
  clientOperation({
    resource: 'locker-user-types',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/locker-user-types',
    summary: 'Create a locker user type',
    body: NewLockerUserType,
    params: NoParams,
    query: NoQuery,
    status: 201,
    response: LockerUserTypeRecord,
    run: ({ db }, { client, body }) => createLockerUserType(db, client.clientId, body),
  }),
  clientOperation({
    resource: 'locker-user-types',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/locker-user-types',
    summary: "List a client's locker user types",
    params: NoParams,
    query: NoQuery,
    body: NoBody,
    response: Page(LockerUserTypeRecord),
    run: async ({ db }, { client }) => ({ items: await listLockerUserTypes(db, client.clientId), next_cursor: null }),
  }),
];
