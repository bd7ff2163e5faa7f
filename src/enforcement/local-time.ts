/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at the whole second `second` (ms), read from Intl. */
function offsetAt(second: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(second)) parts[part.type] = Number(part.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second: seconds = 0 } = parts;
  const wall = Date.UTC(year, month - 1, day, hour, minute, seconds);
  // Date.UTC reads years 0-99 as 1900-1999.
  const fixed = year < 100 ? new Date(wall).setUTCFullYear(year) : wall;
  return fixed - second;
}

const HOUR_MS = 3_600_000;
/** Offsets by zone and UTC hour; a zone changes its offset at most once in an hour. */
const offsets = new Map<string, Map<number, number>>();
const MAX_CACHED_HOURS = 100_000;

/**
 * The zone's offset at `second`: cached per UTC hour when the hour starts and ends with the
 * same offset (then no change happens inside it), read from Intl otherwise.
 */
function offsetOf(second: number, timeZone: string): number {
  let byHour = offsets.get(timeZone);
  if (byHour === undefined) {
    byHour = new Map();
    offsets.set(timeZone, byHour);
  }
  const hour = Math.floor(second / HOUR_MS);
  const cached = byHour.get(hour);
  if (cached !== undefined) return cached;
  const atStart = offsetAt(hour * HOUR_MS, timeZone);
  if (atStart !== offsetAt(hour * HOUR_MS + HOUR_MS - 1_000, timeZone)) return offsetAt(second, timeZone);
  if (byHour.size >= MAX_CACHED_HOURS) byHour.clear();
  byHour.set(hour, atStart);
  return atStart;
}

const two = (value: number) => (value < 10 ? `0${value}` : String(value));

/**
 * `YYYY-MM-DD HH:MM:SS` of the instant `ms` on a clock in `timeZone`, as PostgreSQL's
 * `to_char(t at time zone tz, 'YYYY-MM-DD HH24:MI:SS')` writes it (seconds truncated, the year
 * on four digits at least). Client time zones are IANA names Intl knows (src/core/timezones.ts).
 */
export function localText(ms: number, timeZone: string): string {
  const second = Math.floor(ms / 1000) * 1000;
  const wall = new Date(second + offsetOf(second, timeZone));
  const year = String(wall.getUTCFullYear()).padStart(4, '0');
  return `${year}-${two(wall.getUTCMonth() + 1)}-${two(wall.getUTCDate())} ${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}:${two(wall.getUTCSeconds())}`;
}
