import type { Lot } from './records.js';

/** A lot form as typed: every field text, as the inputs hold it. */
export interface LotDraft {
  readonly name: string;
  readonly lot_type: string;
  readonly default_cost: string;
  readonly capacity: string;
  readonly tax_rate1: string;
  readonly tax_rate2: string;
}

export type LotField = keyof LotDraft;

export const LOT_FIELDS: readonly LotField[] = ['name', 'lot_type', 'default_cost', 'capacity', 'tax_rate1', 'tax_rate2'];

const MAX_CAPACITY = 2_147_483_647;

/**
 * What is wrong with a draft, per field, checked as the operator types: the server's own rules
 * (docs/admin.md), said before the request is sent. The server still decides; its refusal is
 * shown beside the field it names.
 */
export function lotDraftProblems(draft: LotDraft): Partial<Record<LotField, string>> {
  const problems: Partial<Record<LotField, string>> = {};
  const name = draft.name.trim();
  if (name === '' || name.length > 200) problems.name = 'The name must be 1-200 characters.';
  if (!['Y', 'M', 'S', 'O'].includes(draft.lot_type.toUpperCase())) problems.lot_type = 'The type must be Yearly, Monthly, Semester or Other.';
  const cost = draft.default_cost.trim();
  if (cost !== '' && !/^\d{1,10}(\.\d{1,2})?$/.test(cost)) problems.default_cost = 'The default cost must be an amount with at most two decimals, e.g. 12.50.';
  const capacity = draft.capacity.trim();
  if (capacity !== '' && (!/^\d+$/.test(capacity) || Number(capacity) > MAX_CAPACITY)) {
    problems.capacity = `The capacity must be a whole number from 0 to ${MAX_CAPACITY}.`;
  }
  for (const field of ['tax_rate1', 'tax_rate2'] as const) {
    const rate = draft[field].trim();
    if (rate !== '' && !(/^\d+(\.\d+)?$/.test(rate) && Number(rate) <= 100)) problems[field] = 'A tax rate must be a percentage from 0 to 100.';
  }
  return problems;
}

/** The draft of an existing lot: its values as the inputs show them. */
export function lotDraftOf(lot: Lot): LotDraft {
  return {
    name: lot.name,
    lot_type: lot.lotType,
    default_cost: lot.defaultCost ?? '',
    capacity: lot.capacity === null ? '' : String(lot.capacity),
    tax_rate1: lot.taxRate1 ?? '',
    tax_rate2: lot.taxRate2 ?? '',
  };
}

/** The lots update body: the fields the operator changed. */
export interface LotChanges {
  name?: string;
  lot_type?: string;
  default_cost?: string;
  capacity?: number;
  tax_rate1?: number;
  tax_rate2?: number;
}

/** The fields the operator changed (a field emptied keeps its value); an amount stays text, so no rounding on its way. */
export function lotChanges(lot: Lot, draft: LotDraft): LotChanges {
  const before = lotDraftOf(lot);
  const changed = (field: LotField): string | undefined => {
    const value = draft[field].trim();
    return value === '' || value === before[field] ? undefined : value;
  };
  const number = (field: LotField): number | undefined => {
    const value = changed(field);
    return value === undefined ? undefined : Number(value);
  };
  const changes: LotChanges = {};
  const name = changed('name');
  const lotType = changed('lot_type');
  const defaultCost = changed('default_cost');
  const capacity = number('capacity');
  const taxRate1 = number('tax_rate1');
  const taxRate2 = number('tax_rate2');
  if (name !== undefined) changes.name = name;
  if (lotType !== undefined) changes.lot_type = lotType;
  if (defaultCost !== undefined) changes.default_cost = defaultCost;
  if (capacity !== undefined) changes.capacity = capacity;
  if (taxRate1 !== undefined) changes.tax_rate1 = taxRate1;
  if (taxRate2 !== undefined) changes.tax_rate2 = taxRate2;
  return changes;
}
