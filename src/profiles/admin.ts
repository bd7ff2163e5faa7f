import { Type } from '@sinclair/typebox';
import type { AdminOperation } from '../admin/operation.js';
import { createLockerUserType, createUserType, listLockerUserTypes, listUserTypes } from './user-types.js';

export const profileOperations: AdminOperation[] = [
  {
    resource: 'user-types',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/user-types',
    summary: 'Create a user type',
    body: Type.Object({
      id: Type.Optional(Type.Integer({ minimum: 1, description: 'the next free id when absent' })),
      type_name: Type.String({ minLength: 1, maxLength: 100 }),
      ext_info: Type.Optional(Type.String({ maxLength: 100 })),
    }),
    status: 201,
    run: ({ db }, { client, body }) => createUserType(db, client.clientId, body),
  },
  {
    resource: 'user-types',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/user-types',
    summary: "List a client's user types",
    run: async ({ db }, { client }) => ({ items: await listUserTypes(db, client.clientId), next_cursor: null }),
  },
  {
    resource: 'locker-user-types',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/locker-user-types',
    summary: 'Create a locker user type',
    body: Type.Object({
      id: Type.Optional(Type.Integer({ minimum: 1 })),
      type_name: Type.String({ minLength: 1, maxLength: 100 }),
    }),
    status: 201,
    run: ({ db }, { client, body }) => createLockerUserType(db, client.clientId, body),
  },
  {
    resource: 'locker-user-types',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/locker-user-types',
    summary: "List a client's locker user types",
    run: async ({ db }, { client }) => ({ items: await listLockerUserTypes(db, client.clientId), next_cursor: null }),
  },
];
