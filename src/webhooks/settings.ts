import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';

/** The addresses a host name resolves to (every one of them, IPv4 and IPv6). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const resolveHost: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** How webhooks are delivered (docs/webhooks.md#settings). */
export interface WebhookSettings {
  /** The wait before each retry after a failure, in ms: its length is the number of retries. */
  readonly retryScheduleMs: readonly number[];
  /** One attempt (connect, send, answer) must finish within this. */
  readonly timeoutMs: number;
  /** Whether endpoints on the loopback (127.0.0.0/8, ::1, localhost) are allowed. */
  readonly allowLoopback: boolean;
  /** How host names are resolved (before the addresses are checked). */
  readonly resolve: Resolver;
  /** How often each process looks for due retries and endpoints whose sender stopped. */
  readonly sweepMs: number;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
];

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = Object.freeze({
  retryScheduleMs: DEFAULT_RETRY_SCHEDULE_MS,
  timeoutMs: 10 * SECOND,
  allowLoopback: false,
  resolve: resolveHost,
  sweepMs: SECOND,
});

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR };
const STEP = /^(\d+)(ms|s|m|h)?$/;

/**
 * `WEBHOOK_RETRY_SCHEDULE`: comma-separated waits, each a whole number with a unit (`ms`, `s`,
 * `m`, `h`; none: seconds), e.g. `0,5s,5m,30m,2h`. Returns the waits in ms, or the problem.
 */
export function parseRetrySchedule(text: string): number[] | string {
  const steps = text.split(',').map((step) => step.trim());
  const waits: number[] = [];
  for (const step of steps) {
    const match = STEP.exec(step);
    if (match === null) return `"${step}" is not a wait such as 0, 500ms, 5s, 5m or 2h`;
    waits.push(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? SECOND));
  }
  return waits;
}
