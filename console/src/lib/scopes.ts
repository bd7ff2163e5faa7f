/** The integration API's token scopes, as the server defines them (a test compares the two lists). */
export const TOKEN_SCOPES = [
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
