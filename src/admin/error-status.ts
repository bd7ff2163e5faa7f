import { ApiError, DomainError } from '../core/errors.js';

/** The admin API's answer to each kind of domain error. */
const DOMAIN_STATUS: Record<DomainError['kind'], 400 | 404 | 409> = { invalid: 400, 'not-found': 404, conflict: 409 };

/**
 * The admin API's status for an error an operation throws: a domain error by its kind, a 90xx
 * error of the shared attribute readers by its code (404 and 409 kept, any other 400), and
 * undefined for anything else (a server fault). The command line records its actions with it.
 */
export function adminErrorStatus(error: unknown): 400 | 404 | 409 | undefined {
  if (error instanceof DomainError) return DOMAIN_STATUS[error.kind];
  if (error instanceof ApiError) return error.status === 409 || error.status === 404 ? error.status : 400;
  return undefined;
}
