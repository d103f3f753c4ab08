// The retry policy, explicit and injectable: got's own retry is switched off so that which calls are
// retried, how long we wait and when we give up is decided here, in one place, and is testable.
import { setTimeout as delay } from 'node:timers/promises';

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  /** No retry starts when it would end after this many ms since the first attempt. */
  maxElapsedMs: number;
  /** The backoff ceiling of the first retry; it doubles with each retry (full jitter below it). */
  baseDelayMs: number;
  /** Upper bound of a computed backoff (a server's Retry-After is honoured even above it). */
  maxDelayMs: number;
  /** A number in [0, 1): the jitter source. */
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Milliseconds, monotonic enough for budgets. */
  now: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxElapsedMs: 120_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  random: Math.random,
  sleep: (ms) => delay(ms),
  now: () => performance.now(),
};

export function resolveRetryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...overrides };
}

/** Full jitter (AWS architecture blog): uniform in [0, min(max, base·2^retry)). */
export function backoffDelay(policy: RetryPolicy, retryIndex: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(policy.random() * ceiling);
}

/** `Retry-After` as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowEpochMs: number,
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowEpochMs);
}

export interface RetryDecision {
  retry: boolean;
  delayMs: number;
}

/**
 * Whether attempt `attempt` (1-based, just failed) may be followed by another, and after how long.
 * The server's Retry-After wins over the computed backoff; a wait that would exceed the time budget
 * ends the retries instead of sleeping past it.
 */
export function decideRetry(
  policy: RetryPolicy,
  attempt: number,
  startedAt: number,
  retryAfterMs: number | undefined,
): RetryDecision {
  if (attempt >= policy.maxAttempts) return { retry: false, delayMs: 0 };
  const delayMs = retryAfterMs ?? backoffDelay(policy, attempt - 1);
  const elapsed = policy.now() - startedAt;
  if (elapsed + delayMs > policy.maxElapsedMs) return { retry: false, delayMs };
  return { retry: true, delayMs };
}
