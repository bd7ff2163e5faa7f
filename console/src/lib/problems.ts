/** A refusal of the server: its sentence, the HTTP status, and the input at fault when it names one. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

/** What to say when an answer carries no sentence of its own (a proxy's page, an empty body). */
function fallbackMessage(status: number): string {
  if (status === 401) return 'Your session has ended: sign in again.';
  if (status === 403) return 'Your role does not allow this.';
  if (status >= 500) return `The server failed (HTTP ${status}). Try again in a moment.`;
  return `The server refused the request (HTTP ${status}).`;
}

/** The admin API's error answer `{"error","field"?}` as an ApiProblem; any other body keeps the status's meaning. */
export function problemFrom(status: number, body: unknown): ApiProblem {
  if (body !== null && typeof body === 'object' && 'error' in body && typeof body.error === 'string' && body.error !== '') {
    const field = 'field' in body && typeof body.field === 'string' ? body.field : undefined;
    return new ApiProblem(status, body.error, field);
  }
  return new ApiProblem(status, fallbackMessage(status));
}

/** The sentence to show for a failure: the server's, or what went wrong on the way to it. */
export function problemMessage(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  if (error instanceof TypeError) return 'The server could not be reached. Check the connection and try again.';
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** A form's refusal laid out for the screen: beside the field the server named, or above the form. */
export interface FormErrors {
  readonly fields: Readonly<Record<string, string>>;
  readonly form: string | undefined;
}

export const NO_FORM_ERRORS: FormErrors = { fields: {}, form: undefined };

/**
 * Puts a failure beside the form field it names (`field` of the answer) when the form has that
 * field, and above the form otherwise (a field the form does not show, a conflict, a fault).
 */
export function formErrors(error: unknown, formFields: readonly string[]): FormErrors {
  if (error === null || error === undefined) return NO_FORM_ERRORS;
  if (error instanceof ApiProblem && error.field !== undefined && formFields.includes(error.field)) {
    return { fields: { [error.field]: error.message }, form: undefined };
  }
  return { fields: {}, form: problemMessage(error) };
}
