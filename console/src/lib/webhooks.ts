import type { WebhookDelivery, WebhookEndpoint } from './records.js';

/** The event types an endpoint may subscribe to, from the server's own list. */
export { CHANGE_TYPES as EVENT_TYPES } from '../../../src/changes/types.js';

/** The create form's event types as the server takes them: none checked means every type. */
export function eventTypesOf(checked: readonly string[]): 'all' | string[] {
  return checked.length === 0 ? 'all' : [...checked];
}

export function eventTypesLabel(endpoint: WebhookEndpoint): string {
  return endpoint.eventTypes === 'all' ? 'all' : endpoint.eventTypes.join(', ');
}

/** Where an endpoint stands: enabled, retrying after failures, or disabled and why. */
export function endpointState(endpoint: WebhookEndpoint, when: (iso: string) => string): string {
  if (!endpoint.enabled) return `Disabled: ${endpoint.disabledReason ?? 'no reason recorded'}`;
  if (endpoint.failedAttempts > 0) {
    const next = endpoint.nextAttemptAt === null ? '' : `, next attempt ${when(endpoint.nextAttemptAt)}`;
    return `Enabled, retrying: ${endpoint.failedAttempts} failed attempt${endpoint.failedAttempts === 1 ? '' : 's'}${next}`;
  }
  return 'Enabled';
}

/** A delivery's outcome in a sentence: what a test or a redelivery shows. */
export function deliveryOutcome(delivery: WebhookDelivery, when: (iso: string) => string): string {
  const answer = delivery.lastStatusCode === null ? 'no answer' : `HTTP ${delivery.lastStatusCode}`;
  const latency = delivery.latencyMs === null ? '' : ` in ${delivery.latencyMs} ms`;
  switch (delivery.status) {
    case 'succeeded':
      return `Delivered: ${answer}${latency}.`;
    case 'failed':
      return `Failed: ${answer}${latency}${delivery.lastError === null ? '' : ` (${delivery.lastError})`}.`;
    case 'pending':
      return delivery.nextAttemptAt === null ? 'Pending.' : `Pending: next attempt ${when(delivery.nextAttemptAt)}.`;
  }
}
