import { ApiError, type ErrorCode } from './errors.js';

/**
 * What an attribute's value is, which decides the reader that reads it (each reader takes only
 * specs of its kind) and what the OpenAPI document says of it:
 * - `text`: a string, trimmed; over `max` is refused;
 * - `cut-text`: a string or a number, trimmed; over `max` is cut (the caller words a warning);
 * - `id`: a positive integer, as a number or its decimal text;
 * - `amount`, `timestamp`, `date`, `year`: the value formats of docs/api.md#value-formats;
 * - `flag`: a switch, JSON true or false (or their text, or 1 and 0).
 */
export type FieldKind = 'text' | 'cut-text' | 'id' | 'amount' | 'timestamp' | 'date' | 'year' | 'flag';

/**
 * One attribute of a request body: its names (the seed's "Possible Names", matched
 * case-insensitively, the first listed winning when several are given), its kind, its limits,
 * and the codes it answers with when missing, too long or malformed.
 */
export interface FieldSpec<Kind extends FieldKind = FieldKind> {
  /** The attribute's names, the canonical one first. */
  readonly names: readonly [string, ...string[]];
  readonly kind: Kind;
  /** What the value means or must be beyond its kind and limits, in words (the OpenAPI document). */
  readonly about?: string;
  readonly max?: number;
  readonly min?: number;
  /** Code when required and absent (default 9031). */
  readonly missing?: ErrorCode;
  /** Code when over `max` (default 9030). */
  readonly tooLong?: ErrorCode;
  /** Code when malformed (default 9033). */
  readonly invalid?: ErrorCode;
  /**
   * A blank string is malformed rather than absent. The vendor's attributes treat `""` as not
   * sent; this server's own additions (where `""` can only be a client's bug) do not.
   */
  readonly blankIsInvalid?: boolean;
}

interface Given {
  readonly name: string;
  readonly value: unknown;
}

export const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
export const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const AMOUNT = /^\d+\.\d{2}$/;
const DIGITS = /^\d+$/;
export const MAX_ID = 2_147_483_647;

/** The accepted forms, named in the `hint` of a time or amount error. */
export const TIMESTAMP_HINT = 'a time as YYYY-MM-DDTHH:MM:SS without offset, e.g. 2026-11-24T10:00:00';
export const DATE_HINT = 'a date as yyyy-mm-dd, e.g. 2026-11-24';
export const FLAG_HINT = 'true or false (also "true", "false", 1 or 0)';
export const AMOUNT_HINT = 'an amount with exactly two decimals from 0.01 to 999999.99, as text ("14.50") or a number (14.5)';

/** Whether year-month-day (and a time of day) name a real moment of the calendar. */
function isRealDateTime(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    y >= 1 &&
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s
  );
}

/**
 * Reads the attributes of one integration request. Keys are matched case-insensitively;
 * `null` and blank strings count as not given; any JSON type other than the expected one is
 * 9033 for that field.
 */
export class Fields {
  private readonly byName = new Map<string, Given>();

  /** The request body as parsed, for what reads it whole (the Idempotency-Key body hash). */
  constructor(readonly body: Record<string, unknown>) {
    for (const [name, value] of Object.entries(body)) {
      const key = name.toLowerCase();
      if (!this.byName.has(key)) this.byName.set(key, { name, value });
    }
  }

  /** The first of the spec's names that the body gives a value for. */
  private given(spec: FieldSpec): Given | undefined {
    for (const name of spec.names) {
      const found = this.byName.get(name.toLowerCase());
      if (found === undefined || found.value === null) continue;
      if (typeof found.value === 'string' && found.value.trim() === '') {
        if (spec.blankIsInvalid === true) throw new ApiError(spec.invalid ?? 9033, found.name);
        continue;
      }
      return found;
    }
    return undefined;
  }

  /** Whether any name of the attribute carries a value. */
  has(spec: FieldSpec): boolean {
    return this.given(spec) !== undefined;
  }

  private absent(spec: FieldSpec, required: boolean): undefined {
    if (required) throw new ApiError(spec.missing ?? 9031, spec.names[0]);
    return undefined;
  }

  private asText(spec: FieldSpec, given: Given, numbersAllowed: boolean): string {
    // PostgreSQL text cannot hold U+0000: such a value is malformed, not a server fault.
    if (typeof given.value === 'string') {
      if (given.value.includes('\u0000')) throw new ApiError(spec.invalid ?? 9033, given.name);
      return given.value.trim();
    }
    if (numbersAllowed && typeof given.value === 'number' && Number.isFinite(given.value)) return String(given.value);
    throw new ApiError(spec.invalid ?? 9033, given.name);
  }

  private checkLength(spec: FieldSpec, given: Given, text: string): string {
    const length = [...text].length;
    if (spec.max !== undefined && length > spec.max) throw new ApiError(spec.tooLong ?? 9030, given.name);
    if (spec.min !== undefined && length < spec.min) throw new ApiError(9032, given.name);
    return text;
  }

  /** A string attribute, trimmed, within its limits. */
  text(spec: FieldSpec<'text'>, required: true): string;
  text(spec: FieldSpec<'text'>, required?: boolean): string | undefined;
  text(spec: FieldSpec<'text'>, required = false): string | undefined {
    const given = this.given(spec);
    if (given === undefined) return this.absent(spec, required);
    return this.checkLength(spec, given, this.asText(spec, given, false));
  }

  /**
   * A string attribute whose overflow is cut rather than refused; `truncated` says whether
   * it was (the caller words the warning).
   */
  truncatedText(spec: FieldSpec<'cut-text'>): { value: string; truncated: boolean } | undefined {
    const given = this.given(spec);
    if (given === undefined) return undefined;
    const chars = [...this.asText(spec, given, true)];
    if (spec.max === undefined || chars.length <= spec.max) return { value: chars.join(''), truncated: false };
    return { value: chars.slice(0, spec.max).join(''), truncated: true };
  }

  /** A positive integer id, sent as a JSON number or as its decimal text. */
  id(spec: FieldSpec<'id'>, required = false): number | undefined {
    const given = this.given(spec);
    if (given === undefined) return this.absent(spec, required);
    const text = this.asText(spec, given, true);
    const id = Number(text);
    if (!DIGITS.test(text) || id < 1 || id > MAX_ID) throw new ApiError(spec.invalid ?? 9033, given.name);
    return id;
  }

  /**
   * Money per docs/api.md#value-formats: a string with exactly two decimals, or a JSON
   * number with at most two; 0.01 to 999999.99. Returned as exact decimal text (`"14.50"`),
   * never a float.
   */
  amount(spec: FieldSpec<'amount'>, required = false): string | undefined {
    const given = this.given(spec);
    if (given === undefined) return this.absent(spec, required);
    const invalid = new ApiError(spec.invalid ?? 9033, given.name, { hint: AMOUNT_HINT });
    let text: string;
    if (typeof given.value === 'number') {
      // Above the maximum, toFixed answers in exponent form (1e+21), which is no amount.
      if (!Number.isFinite(given.value) || given.value < 0 || given.value > 999_999.99) throw invalid;
      text = given.value.toFixed(2);
      if (Number(text) !== given.value) throw invalid;
    } else {
      if (typeof given.value !== 'string') throw invalid;
      text = this.asText(spec, given, false);
      if (!AMOUNT.test(text)) throw invalid;
    }
    const cents = BigInt(text.replace('.', ''));
    if (cents < 1n || cents > 99_999_999n) throw invalid;
    return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  }

  /** A `Y-m-d\TH:i:s` timestamp naming a real calendar moment, returned as sent. */
  timestamp(spec: FieldSpec<'timestamp'>, required = false): string | undefined {
    const given = this.given(spec);
    if (given === undefined) return this.absent(spec, required);
    const invalid = new ApiError(spec.invalid ?? 9033, given.name, { hint: TIMESTAMP_HINT });
    if (typeof given.value !== 'string') throw invalid;
    const text = this.asText(spec, given, false);
    if (spec.max !== undefined && [...text].length > spec.max) throw new ApiError(spec.tooLong ?? 9030, given.name, { hint: TIMESTAMP_HINT });
    const match = TIMESTAMP.exec(text);
    if (match === null) throw invalid;
    const [y = NaN, mo = NaN, d = NaN, h = NaN, mi = NaN, s = NaN] = match.slice(1).map(Number);
    if (!isRealDateTime(y, mo, d, h, mi, s)) throw invalid;
    return text;
  }

  /** A `yyyy-mm-dd` date naming a real calendar day. */
  date(spec: FieldSpec<'date'>, required = false): string | undefined {
    const given = this.given(spec);
    if (given === undefined) return this.absent(spec, required);
    const invalid = new ApiError(spec.invalid ?? 9033, given.name, { hint: DATE_HINT });
    if (typeof given.value !== 'string') throw invalid;
    const text = this.asText(spec, given, false);
    const match = DATE.exec(text);
    if (match === null) throw invalid;
    const [y = NaN, mo = NaN, d = NaN] = match.slice(1).map(Number);
    if (!isRealDateTime(y, mo, d)) throw invalid;
    return text;
  }

  /** A four-digit year, sent as a number or as text. */
  year(spec: FieldSpec<'year'>, required = false): number | undefined {
    const given = this.given(spec);
    if (given === undefined) return this.absent(spec, required);
    const text = this.asText(spec, given, true);
    if (!/^\d{4}$/.test(text)) throw new ApiError(spec.invalid ?? 9033, given.name);
    return Number(text);
  }

  /** A switch: true or false, their text in any case, or 1 and 0; false when not given. */
  flag(spec: FieldSpec<'flag'>): boolean {
    const given = this.given(spec);
    if (given === undefined) return false;
    const value = typeof given.value === 'string' ? given.value.trim().toLowerCase() : given.value;
    if (value === true || value === 'true' || value === 1 || value === '1') return true;
    if (value === false || value === 'false' || value === 0 || value === '0') return false;
    throw new ApiError(spec.invalid ?? 9033, given.name, { hint: FLAG_HINT });
  }

  /** The name under which the attribute was given (for warnings), or its first name. */
  nameOf(spec: FieldSpec): string {
    return this.given(spec)?.name ?? spec.names[0];
  }
}
