import { InvalidInputError } from './errors.js';

/** Operator money (a number or text with at most two places) as exact decimal text. */
export function moneyText(value: string | number, field: string): string {
  const text = typeof value === 'number' ? value.toFixed(2) : value.trim();
  if (typeof value === 'number' && (!Number.isFinite(value) || Number(text) !== value))
    throw new InvalidInputError(`${field} must have at most two decimals`, field);
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(text)) throw new InvalidInputError(`${field} must be an amount with at most two decimals`, field);
  return text;
}
