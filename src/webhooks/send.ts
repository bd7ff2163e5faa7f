import { randomBytes } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { AddressRefused, checkedAddresses } from './address.js';
import type { WebhookSettings } from './settings.js';

/** A new signing secret: `whsec_` and 32 random bytes in base64 (Standard Webhooks). */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** One message as it goes out: its id (the webhook-id header) and its JSON body. */
export interface Message {
  readonly id: string;
  readonly body: string;
}

/** An endpoint as a delivery needs it: where to, and the secrets that sign (the newest first). */
export interface Destination {
  readonly url: string;
  readonly secrets: readonly string[];
}

export type AttemptOutcome = 'succeeded' | 'failed' | 'gone';

export interface AttemptResult {
  readonly outcome: AttemptOutcome;
  /** The answer's HTTP status; null when none came (refused, unreachable, timed out). */
  readonly statusCode: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
  /** What the receiver's Retry-After asked for (on 429 and 503), in ms. */
  readonly retryAfterMs: number | null;
}

/** The receiver's answer is read up to this much, then dropped: only its status matters. */
const MAX_ANSWER_BYTES = 64 * 1024;
const USER_AGENT = 'parking-controller-webhooks';

/** Retry-After as seconds or an HTTP date, in ms from now (null when absent or unreadable). */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | null {
  if (header === undefined) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The `webhook-signature` header: one `v1,<base64>` per secret, separated by spaces. */
export function signatureHeader(secrets: readonly string[], message: Message, timestamp: Date): string {
  return secrets.map((secret) => new Webhook(secret).sign(message.id, timestamp, message.body)).join(' ');
}

/** A lookup that answers the addresses already checked, so the connection goes to one of them. */
function fixedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const [first] = addresses;
    if (options.all === true) callback(null, [...addresses]);
    else if (first === undefined) callback(new Error('no address'), '', 0);
    else callback(null, first.address, first.family);
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * One attempt: checks the destination's addresses, POSTs the signed message to one of them and
 * waits for the answer within the timeout. Redirects are not followed (a 3xx is a failure). A
 * 2xx succeeds, a 410 says the endpoint is gone; anything else fails. Never throws.
 */
export async function attemptDelivery(
  destination: Destination,
  message: Message,
  settings: Pick<WebhookSettings, 'allowLoopback' | 'resolve' | 'timeoutMs'>,
  signal?: AbortSignal,
): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failure = (error: string, statusCode: number | null = null, retryAfter: number | null = null): AttemptResult => ({
    outcome: 'failed',
    statusCode,
    latencyMs: elapsed(),
    error,
    retryAfterMs: retryAfter,
  });
  const url = new URL(destination.url);
  let addresses: LookupAddress[];
  try {
    addresses = await checkedAddresses(url, settings);
  } catch (error) {
    return failure(error instanceof AddressRefused ? `refused: ${error.message}` : describeError(error));
  }
  const timestamp = new Date();
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(message.body)),
    'user-agent': USER_AGENT,
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatureHeader(destination.secrets, message, timestamp),
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const settle = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      request.destroy();
      resolve(result);
    };
    const request = transport.request(url, { method: 'POST', headers, lookup: fixedLookup(addresses), agent: false }, (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) response.destroy();
      });
      const done = () => {
        if (status >= 200 && status < 300) settle({ outcome: 'succeeded', statusCode: status, latencyMs: elapsed(), error: null, retryAfterMs: null });
        else if (status === 410)
          settle({ outcome: 'gone', statusCode: status, latencyMs: elapsed(), error: 'HTTP 410: the receiver says the endpoint is gone', retryAfterMs: null });
        else {
          const header = response.headers['retry-after'];
          const wait = status === 429 || status === 503 ? retryAfterMs(header) : null;
          settle(failure(`HTTP ${status}`, status, wait));
        }
      };
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
    const timer = setTimeout(() => settle(failure(`no answer within ${settings.timeoutMs} ms`)), settings.timeoutMs);
    const abort = () => settle(failure('the server stopped during the attempt'));
    signal?.addEventListener('abort', abort);
    request.on('error', (error) => settle(failure(describeError(error))));
    request.end(message.body);
  });
}
