import { toCsv } from './csv.js';
import type { LotValue } from './records.js';

/** The report's sums, on the cent: the rows' amounts carry more places than money shows. */
export function sum(rows: readonly LotValue[], of: (row: LotValue) => number): number {
  return Math.round(rows.reduce((total, row) => total + of(row), 0) * 100) / 100;
}

export const money = (amount: number) => amount.toFixed(2);
export const taxes = (row: LotValue) => row.taxAmount + row.taxAmount1 + row.taxAmount2;

const CSV_HEADER = [
  'lot_type',
  'lot_name',
  'default_cost',
  'total_permits',
  'rented_permits',
  'utilized_pct',
  'amount_projected',
  'amount',
  'tax_amount',
  'tax_amount1',
  'tax_amount2',
  'total',
];

/** The report as the integration API names its columns, every amount as the server sent it, and a totals row. */
export function lotValuesCsv(rows: readonly LotValue[]): string {
  const capacity = rows.reduce((total, row) => total + row.capacity, 0);
  const rented = rows.reduce((total, row) => total + row.rented, 0);
  return toCsv(CSV_HEADER, [
    ...rows.map((row) => [
      row.lotType,
      row.lotName,
      row.defaultCost,
      row.capacity,
      row.rented,
      row.utilisedPct,
      row.projected,
      row.amount,
      row.taxAmount,
      row.taxAmount1,
      row.taxAmount2,
      row.total,
    ]),
    [
      '',
      'Total',
      '',
      capacity,
      rented,
      utilisation(rented, capacity),
      sum(rows, (row) => row.projected),
      sum(rows, (row) => row.amount),
      sum(rows, (row) => row.taxAmount),
      sum(rows, (row) => row.taxAmount1),
      sum(rows, (row) => row.taxAmount2),
      sum(rows, (row) => row.total),
    ],
  ]);
}

/** Rented × 100 / capacity on 2 places, as the server computes a lot's; null for no capacity. */
export function utilisation(rented: number, capacity: number): number | null {
  return capacity === 0 ? null : Math.round((rented * 10000) / capacity) / 100;
}
