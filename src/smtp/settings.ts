import { ConfigurationError } from '../core/errors';

/** How long one connection attempt may wait at each stage (milliseconds). */
export interface ProbeTimeouts {
  /** TCP connect, plus greeting and TLS set-up, must finish within this (nodemailer `connectionTimeout`). */
  readonly connectionMs: number;
  /** Wait for the `220` greeting after connecting (nodemailer `greetingTimeout`). */
  readonly greetingMs: number;
  /** Longest silence of the server once the session is up, e.g. after AUTH (nodemailer `socketTimeout`). */
  readonly socketMs: number;
}

/** Waits between attempts while SES answers "not accepted yet" (535/454) for a brand-new key. */
export interface BackoffPolicy {
  /** First wait (default 2 s). */
  readonly initialDelayMs: number;
  /** Growth per wait (default 1.6). */
  readonly multiplier: number;
  /** Longest single wait (default 10 s). */
  readonly maxDelayMs: number;
}

/**
 * Defaults: 10 s per stage keeps a stalled connection from eating the Lambda budget while leaving room for a slow
 * handshake; the engine's safety margin should exceed connection + socket timeouts.
 */
export const DEFAULT_TIMEOUTS: ProbeTimeouts = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 10_000 };

/** Defaults: 2 s → 3.2 s → 5.1 s → 8.2 s → 10 s … (no AWS figure exists for key propagation; peers wait 1–10 s). */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 2_000, multiplier: 1.6, maxDelayMs: 10_000 };

/**
 * The wait before retry number `retry` (1 = the wait after the first attempt).
 */
export function backoffDelay(retry: number, policy: BackoffPolicy): number {
  const grown = policy.initialDelayMs * Math.pow(policy.multiplier, Math.max(0, retry - 1));
  return Math.round(Math.min(policy.maxDelayMs, grown));
}

/**
 * Completes and checks timeouts given in part.
 * @throws ConfigurationError naming the field that is not a positive number
 */
export function resolveTimeouts(partial: Partial<ProbeTimeouts> = {}): ProbeTimeouts {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(partial) };
  for (const [field, value] of Object.entries(timeouts)) {
    requirePositive(`timeouts.${field}`, value, 'milliseconds, e.g. 10000');
  }
  return timeouts;
}

/**
 * Completes and checks a backoff policy given in part.
 * @throws ConfigurationError naming the field that is out of range
 */
export function resolveBackoff(partial: Partial<BackoffPolicy> = {}): BackoffPolicy {
  const policy = { ...DEFAULT_BACKOFF, ...definedOnly(partial) };
  requirePositive('backoff.initialDelayMs', policy.initialDelayMs, 'milliseconds, e.g. 2000');
  requirePositive('backoff.maxDelayMs', policy.maxDelayMs, 'milliseconds, e.g. 10000');
  if (!Number.isFinite(policy.multiplier) || policy.multiplier < 1) {
    throw new ConfigurationError(`backoff.multiplier must be a number ≥ 1 (waits never shrink), e.g. 1.6`);
  }
  if (policy.maxDelayMs < policy.initialDelayMs) {
    throw new ConfigurationError('backoff.maxDelayMs must be at least backoff.initialDelayMs');
  }
  return policy;
}

function requirePositive(field: string, value: number, unit: string): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(`${field} must be a positive number of ${unit}`);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
