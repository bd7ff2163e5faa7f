// The logic of the Collections, Users & vehicles, Audit and Integrations screens that is not
// drawing: kept here so that test/console/logic.test.ts can check it without a browser.

/** The grace periods offered when rotating a token, in seconds (the server takes 0 to a week). */
export const GRACE_CHOICES = [
  { seconds: 0, label: 'None: the old token stops now' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 604_800, label: '1 week' },
] as const;

/** Where a token stands, in words. */
export function tokenState(
  token: { revokedAt: string | null; expiresAt: string | null; rotatedTo: number | null },
  now: Date,
  format: (iso: string) => string,
): string {
  if (token.revokedAt !== null) return `Revoked ${format(token.revokedAt)}`;
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime()) return `Expired ${format(token.expiresAt)}`;
  if (token.expiresAt !== null) return `Rotated: works until ${format(token.expiresAt)}`;
  return 'Active';
}

/** The Audit screen's filter form as typed. */
export interface AuditForm {
  readonly integration: string;
  readonly endpoint: string;
  readonly errorCode: string;
  /** `datetime-local` values in the browser's time zone. */
  readonly since: string;
  readonly until: string;
}

export const EMPTY_AUDIT_FORM: AuditForm = { integration: '', endpoint: '', errorCode: '', since: '', until: '' };

/**
 * The audit list's query from the form: blanks left out, times in ISO-8601 with an offset.
 * A time that does not read as one goes as typed, and a number that is not a whole one as one
 * out of range, so that the server names the field at fault with its sentence.
 */
export function auditQuery(form: AuditForm): { integration?: number; endpoint?: string; error_code?: number; since?: string; until?: string } {
  const number = (typed: string) => (/^\d+$/.test(typed.trim()) ? Number(typed.trim()) : undefined);
  const time = (typed: string) => {
    const parsed = new Date(typed);
    return Number.isNaN(parsed.getTime()) ? typed : parsed.toISOString();
  };
  return {
    ...(form.integration === '' ? {} : { integration: number(form.integration) ?? 0 }),
    ...(form.endpoint.trim() === '' ? {} : { endpoint: form.endpoint.trim() }),
    ...(form.errorCode.trim() === '' ? {} : { error_code: number(form.errorCode) ?? -1 }),
    ...(form.since === '' ? {} : { since: time(form.since) }),
    ...(form.until === '' ? {} : { until: time(form.until) }),
  };
}

/** A user's name as shown: first and last, or the unique id when there is neither. */
export function personName(person: { firstName: string | null; lastName: string | null; uniqueId: string }): string {
  const name = [person.firstName, person.lastName].filter((part) => part !== null && part !== '').join(' ');
  return name === '' ? person.uniqueId : name;
}
