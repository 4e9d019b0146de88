import { HubSpotError } from './hubspot-error';

export interface RateLimitOptions {
  enabled: boolean;
  /** Requests per portal per app per window (HubSpot: 100 per 10 s for OAuth apps). */
  burst: number;
  windowMs: number;
  /** Search requests per second per portal and app (HubSpot documents 4–5). */
  searchPerSecond: number;
}

export const HUBSPOT_RATE_LIMITS: RateLimitOptions = {
  enabled: true,
  burst: 100,
  windowMs: 10_000,
  searchPerSecond: 5,
};

/** A sliding window of request times per key. */
class Window {
  private readonly times: number[] = [];
  private readonly size: number;
  private readonly spanMs: number;
  constructor(size: number, spanMs: number) {
    this.size = size;
    this.spanMs = spanMs;
  }
  take(now: number): { ok: boolean; remaining: number } {
    while (this.times.length > 0 && this.times[0]! <= now - this.spanMs) this.times.shift();
    if (this.times.length >= this.size) return { ok: false, remaining: 0 };
    this.times.push(now);
    return { ok: true, remaining: this.size - this.times.length };
  }
}

/**
 * HubSpot's limits for OAuth apps: a rolling burst window per portal and app, and a lower
 * per-second limit on search. Over the limit: 429 with HubSpot's body, whose `policyName` and
 * message are what @hubspot/api-client's retry looks for.
 */
export class RateLimiter {
  private readonly burst = new Map<string, Window>();
  private readonly search = new Map<string, Window>();
  limited = 0;
  options: RateLimitOptions;
  private readonly clock: () => number;

  constructor(options: RateLimitOptions, clock: () => number) {
    this.options = options;
    this.clock = clock;
  }

  /** Counts a request; returns the rate-limit headers, or throws the 429. */
  take(key: string, isSearch: boolean): Record<string, string> {
    if (!this.options.enabled) return {};
    const now = this.clock();
    const { burst, windowMs, searchPerSecond } = this.options;
    if (isSearch) {
      let w = this.search.get(key);
      if (!w) this.search.set(key, (w = new Window(searchPerSecond, 1000)));
      if (!w.take(now).ok) {
        this.limited++;
        throw new HubSpotError(429, 'RATE_LIMITS', 'You have reached your secondly limit.', {
          extra: { errorType: 'RATE_LIMIT', policyName: 'SECONDLY' },
        });
      }
      return {};
    }
    let w = this.burst.get(key);
    if (!w) this.burst.set(key, (w = new Window(burst, windowMs)));
    const result = w.take(now);
    const headers = {
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(windowMs),
      'X-HubSpot-RateLimit-Max': String(burst),
      'X-HubSpot-RateLimit-Remaining': String(result.remaining),
    };
    if (!result.ok) {
      this.limited++;
      throw new HubSpotError(
        429,
        'RATE_LIMITS',
        'You have reached your ten_secondly_rolling limit.',
        {
          headers,
          extra: { errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' },
        },
      );
    }
    return headers;
  }
}
