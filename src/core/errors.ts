/**
 * The 90xx catalogue of the integration API: the seeds' exact messages, and the HTTP
 * status each code answers with (docs/api.md#error-codes). Every error an integration can
 * see comes from here.
 */
export const ERROR_CATALOGUE = {
  9000: { status: 400, message: 'Client Code is missing from the request.' },
  9001: { status: 401, message: 'API Token is missing from the request.' },
  9002: { status: 403, message: 'The supplied API token does not have permission to perform that request.' },
  9003: { status: 400, message: 'Could not parse the request.' },
  9004: { status: 400, message: 'End Time is a required field.' },
  9005: { status: 400, message: 'The end time value is invalid.' },
  9006: { status: 400, message: 'Plate is a required field.' },
  9007: { status: 400, message: 'The start time value is invalid.' },
  9008: {
    status: 400,
    message: 'Reference ID is required. On a new permit push, a reference id is returned. This is required for updates and deletes.',
  },
  9009: { status: 404, message: 'Record not found.' },
  9010: { status: 400, message: 'The Plate Type is required.' },
  9011: { status: 400, message: 'The province or state is required.' },
  9012: { status: 409, message: 'The vehicle is already in the database.' },
  9013: { status: 400, message: 'A unique id is required.' },
  9014: { status: 400, message: 'The login source is required.' },
  9015: { status: 400, message: 'The login source is invalid.' },
  9016: { status: 400, message: 'The user e-mail is required.' },
  9017: { status: 400, message: "The user's first name is required." },
  9018: { status: 400, message: "The user's last name is required." },
  9019: { status: 409, message: "The user's email address must be unique." },
  9020: { status: 409, message: "The user's username must be unique." },
  9021: { status: 400, message: "The vehicle's plate length exceeds 50 characters." },
  9022: { status: 409, message: 'A record already exists with the supplied details.' },
  9030: { status: 400, message: "The field's maximum number of characters was exceeded." },
  9031: { status: 400, message: 'The field is required.' },
  9032: { status: 400, message: 'The field has a minimum number of characters.' },
  9033: { status: 400, message: "The field's value is invalid." },
  9034: { status: 401, message: 'The API Token does not exist for the specified client.' },
  // This server's addition (the vendor sets no request limits): over a token's limit, or after
  // too many failed sign-ins from an address. Retry-After says when to try again.
  9040: { status: 429, message: 'Too many requests: retry after the number of seconds in the Retry-After header.' },
  // This server's addition (the change feed): the cursor's events are no longer kept.
  9041: { status: 410, message: 'The cursor is older than the change log keeps: read again without a cursor.' },
} as const satisfies Record<number, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface ApiErrorOptions {
  /** Additional keys of the body (9022's reference_id). */
  readonly extra?: Record<string, unknown>;
  /** The HTTP status where it is not the catalogue's (405, 413, 422, 429). */
  readonly status?: number;
  /** What would have been accepted, in words: the vendor's message stays as it is. */
  readonly hint?: string;
}

/**
 * A documented failure of a request. `field` names the attribute at fault and `hint` the
 * accepted form (both additions to the vendor's envelopes).
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly extra: Record<string, unknown> | undefined;
  readonly status: number;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, field?: string, options: ApiErrorOptions = {}) {
    super(ERROR_CATALOGUE[code].message);
    this.name = 'ApiError';
    this.code = code;
    this.field = field;
    this.extra = options.extra;
    this.status = options.status ?? ERROR_CATALOGUE[code].status;
    this.hint = options.hint;
  }
}

/** The seed envelope: `{"ErrorCode","ErrorMessage"}` plus `field` and `hint` where they apply. */
export function errorEnvelope(error: ApiError): Record<string, unknown> {
  return {
    ErrorCode: error.code,
    ErrorMessage: error.message,
    ...(error.field === undefined ? {} : { field: error.field }),
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...error.extra,
  };
}

/**
 * A failure of an operator-side rule, thrown by services in the domain's own terms; each edge
 * (admin API, CLI) turns the kind into its answer in one place. The message is a sentence an
 * operator can act on; `field` names the input at fault.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'invalid' | 'not-found' | 'conflict';

  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input breaks a rule (a bad value, a missing one, an inconsistent combination). */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid';
}

/** A record the request names does not exist for this client. */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** The request would duplicate a record, or the record's state forbids it. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** A PostgreSQL unique violation (SQLSTATE 23505), optionally on one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as { code?: string; constraint?: string } | null;
  return pgError?.code === '23505' && (constraint === undefined || pgError.constraint === constraint);
}
