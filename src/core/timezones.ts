/** Whether `zone` is an IANA time zone this runtime (and so PostgreSQL's list) knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
