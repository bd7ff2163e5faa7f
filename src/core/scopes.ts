/**
 * The integration API's token scopes: one list for the server and the operator console (which
 * bundles this file: it imports nothing).
 */
export const SCOPES = [
  'permit-create',
  'permit-stats',
  'lot-values',
  'vehicle-create',
  'profile-types',
  'profile-push',
  'violations-collections',
  'plate-validate',
  'changes-read',
] as const;
export type Scope = (typeof SCOPES)[number];
