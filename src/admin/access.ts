import type { OperatorRole } from '../db/schema.js';

/** What officers and finance operators may do with a resource's operations; admins may do everything. */
interface ResourceAccess {
  readonly officer: 'none' | 'read' | 'write';
  readonly finance: 'none' | 'read';
}

const READ_ONLY = { officer: 'read', finance: 'read' } as const;
const OFFICERS_WRITE = { officer: 'write', finance: 'read' } as const;
const ADMINS_AND_FINANCE = { officer: 'none', finance: 'read' } as const;
const ADMINS_ONLY = { officer: 'none', finance: 'none' } as const;

/**
 * The one table of who may call what, by resource. Officers work on plates, vehicles, users,
 * violations, DNTT entries and alerts, and read the lists those need (lots and permits, lookups,
 * user types, locations, categories, violation types); finance reads everything of its client
 * and writes nothing; the client's settings (integrations, tokens, login sources, the
 * integration audit) and the operators themselves are for admins, the lot value report for
 * admins and finance. A resource missing here stops
 * the server at start (see rolesFor), so each new one gets a decision.
 */
export const RESOURCE_ACCESS: Readonly<Record<string, ResourceAccess>> = {
  clients: ADMINS_AND_FINANCE,
  integrations: ADMINS_AND_FINANCE,
  tokens: ADMINS_AND_FINANCE,
  'login-sources': ADMINS_AND_FINANCE,
  audit: ADMINS_AND_FINANCE,
  lots: READ_ONLY,
  'permit-types': READ_ONLY,
  permits: READ_ONLY,
  // the Paystation status list (pushed permits with filters, and its CSV)
  'pushed-permits': READ_ONLY,
  // Parking Zone Administration: which pay station zone names a lot answers to
  'zone-aliases': READ_ONLY,
  // the money a client's lots bring in: for the office's admins and finance, not for officers
  'lot-values': ADMINS_AND_FINANCE,
  users: OFFICERS_WRITE,
  'user-types': READ_ONLY,
  'locker-user-types': READ_ONLY,
  'plate-types': READ_ONLY,
  provinces: READ_ONLY,
  makes: READ_ONLY,
  'vehicle-types': READ_ONLY,
  colours: READ_ONLY,
  vehicles: OFFICERS_WRITE,
  'vehicle-alerts': OFFICERS_WRITE,
  'user-alerts': OFFICERS_WRITE,
  locations: READ_ONLY,
  'ticket-categories': READ_ONLY,
  'violation-types': READ_ONLY,
  violations: OFFICERS_WRITE,
  'collections-batches': ADMINS_AND_FINANCE,
  dntt: OFFICERS_WRITE,
  plates: READ_ONLY,
  dashboard: READ_ONLY,
  operators: ADMINS_ONLY,
  'operator-actions': ADMINS_ONLY,
  // endpoints and their secrets: where a client's data is pushed to is an admin's decision
  webhooks: ADMINS_ONLY,
};

/** The roles that may call an operation of `resource` with `method` (a GET only reads). */
export function rolesFor(resource: string, method: string): readonly OperatorRole[] {
  const access = RESOURCE_ACCESS[resource];
  if (access === undefined) throw new Error(`the admin resource ${resource} has no entry in RESOURCE_ACCESS (src/admin/access.ts): decide who may call it`);
  const reads = method === 'GET';
  return [
    'admin',
    ...(access.officer === 'write' || (access.officer === 'read' && reads) ? (['officer'] as const) : []),
    ...(access.finance === 'read' && reads ? (['finance'] as const) : []),
  ];
}

/** The role as a sentence's subject: `an officer may not …`. */
export function roleSubject(role: OperatorRole, clientCode: string | null): string {
  const who = { admin: 'an admin', officer: 'an officer', finance: 'a finance operator' }[role];
  return clientCode === null ? who : `${who} of client ${clientCode}`;
}
