/** The Paystation status filters as the form holds them (text, as typed). */
export interface PaystationFilters {
  readonly plate: string;
  readonly zone: string;
  readonly integration: string;
  readonly promoCode: string;
  readonly disconnectedOnly: boolean;
  /** any time, valid now, or valid at `validAt` */
  readonly validity: 'any' | 'now' | 'at';
  /** `datetime-local` values: the browser's local time, no offset */
  readonly validAt: string;
  readonly from: string;
  readonly to: string;
}

export const NO_FILTERS: PaystationFilters = {
  plate: '',
  zone: '',
  integration: '',
  promoCode: '',
  disconnectedOnly: false,
  validity: 'any',
  validAt: '',
  from: '',
  to: '',
};

/** The admin API's query of the pushed-permits list (and its CSV form): only the filters given. */
export interface PaystationQuery {
  plate?: string;
  zone?: string;
  integration?: string;
  promo_code?: string;
  disconnected?: boolean;
  valid_at?: string;
  from?: string;
  to?: string;
}

/** A `datetime-local` value (local time) as an ISO-8601 instant; undefined when blank or not a time. */
function instant(local: string): string | undefined {
  if (local.trim() === '') return undefined;
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** An ISO-8601 instant as a `datetime-local` value in the browser's time zone. */
function localValue(iso: string | null): string {
  if (iso === null) return '';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return '';
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}`;
}

export function paystationQuery(filters: PaystationFilters): PaystationQuery {
  const query: PaystationQuery = {};
  const text = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const plate = text(filters.plate);
  const zone = text(filters.zone);
  const integration = text(filters.integration);
  const promoCode = text(filters.promoCode);
  const validAt = filters.validity === 'now' ? 'now' : filters.validity === 'at' ? instant(filters.validAt) : undefined;
  const from = instant(filters.from);
  const to = instant(filters.to);
  if (plate !== undefined) query.plate = plate;
  if (zone !== undefined) query.zone = zone;
  if (integration !== undefined) query.integration = integration;
  if (promoCode !== undefined) query.promo_code = promoCode;
  if (filters.disconnectedOnly) query.disconnected = true;
  if (validAt !== undefined) query.valid_at = validAt;
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;
  return query;
}

/** The query as URL search text (the screen's address, the CSV link). */
export function searchOf(query: PaystationQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The filters a screen address carries (`?disconnected=true` from the dashboard's link). */
export function filtersFromSearch(search: string): PaystationFilters {
  const params = new URLSearchParams(search);
  const validAt = params.get('valid_at');
  return {
    plate: params.get('plate') ?? '',
    zone: params.get('zone') ?? '',
    integration: params.get('integration') ?? '',
    promoCode: params.get('promo_code') ?? '',
    disconnectedOnly: params.get('disconnected') === 'true',
    validity: validAt === null ? 'any' : validAt === 'now' ? 'now' : 'at',
    validAt: validAt === null || validAt === 'now' ? '' : localValue(validAt),
    from: localValue(params.get('from')),
    to: localValue(params.get('to')),
  };
}
