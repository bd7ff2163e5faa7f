import type { Violation } from './records.js';

/** Decimal text of money (`"50.00"`) in cents, so sums and differences stay exact. */
function cents(amount: string): number {
  return Math.round(Number(amount) * 100);
}

/** What is still owed: the fine after adjustment minus the payments, as money text. */
export function balanceOf(violation: Violation): string {
  return ((cents(violation.adjustedFine ?? violation.fine) - cents(violation.paid)) / 100).toFixed(2);
}

/** The one word a list shows for where a violation stands, checked in the order that decides it. */
export function violationState(violation: Violation, now: Date): string {
  if (violation.voidedAt !== null) return 'Void';
  if (violation.sentToCollectionsAt !== null) return 'Sent to collections';
  if (cents(balanceOf(violation)) <= 0) return 'Paid';
  if (violation.appealState === 'open') return 'Under appeal';
  return new Date(violation.dueAt) < now ? 'Overdue' : 'Open';
}
