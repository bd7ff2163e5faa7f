/**
 * The one plate normaliser (docs/api.md#value-formats): plates are kept as sent and matched by this form,
 * upper-case without spaces, dashes or dots, so `ab-12 3` and `AB123` are the same plate.
 */
export function normalisePlate(plate: string): string {
  return plate.toUpperCase().replace(/[\s.-]+/g, '');
}
