import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Caller } from './auth.js';

export interface RateLimitSettings {
  /** Integration API requests per minute per token, unless its integration sets its own; 0: unlimited. */
  readonly perTokenPerMinute: number;
  /** Failed sign-ins (API and admin tokens) per minute per address before it is refused; 0: unlimited. */
  readonly authFailuresPerMinute: number;
}

/** A refusal: how long the caller must wait, in whole seconds (the `Retry-After` value). */
export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('too many requests');
    this.name = 'RateLimited';
  }
}

const MINUTE_SECONDS = 60;

function retryAfter(refusal: unknown): never {
  if (refusal instanceof RateLimiterRes) throw new RateLimited(Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
  throw refusal;
}

/**
 * The request limits of one server process (counted in memory: with several processes each
 * counts its own share, so a limit holds per process). Tokens are charged per minute window;
 * an address that failed to sign in too often is refused, before its token is even looked up,
 * until its window ends, so guessing tokens costs the guesser, not the database.
 */
export class RateLimits {
  private readonly perToken = new Map<number, RateLimiterMemory>();
  private readonly failures: RateLimiterMemory | undefined;

  constructor(private readonly settings: RateLimitSettings) {
    this.failures =
      settings.authFailuresPerMinute > 0 ? new RateLimiterMemory({ points: settings.authFailuresPerMinute, duration: MINUTE_SECONDS }) : undefined;
  }

  /** Charges one request to the caller's token; throws RateLimited over its limit. */
  async chargeToken(caller: Caller): Promise<void> {
    const limit = caller.rateLimitPerMinute ?? this.settings.perTokenPerMinute;
    if (limit === 0) return;
    let limiter = this.perToken.get(limit);
    if (limiter === undefined) {
      limiter = new RateLimiterMemory({ points: limit, duration: MINUTE_SECONDS });
      this.perToken.set(limit, limiter);
    }
    await limiter.consume(`${caller.client.clientId}:${caller.tokenId}`).catch(retryAfter);
  }

  /** Throws RateLimited while the address is over its failed sign-in allowance. */
  async refuseBlockedAddress(address: string): Promise<void> {
    const state = await this.failures?.get(address);
    if (state !== undefined && state !== null && this.failures !== undefined && state.consumedPoints >= this.failures.points) retryAfter(state);
  }

  /** Counts a failed sign-in of the address. */
  async recordFailure(address: string): Promise<void> {
    await this.failures?.penalty(address);
  }
}
