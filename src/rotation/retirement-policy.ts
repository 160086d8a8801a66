import { ConfigurationError } from '../core/errors';

/**
 * How the old key is retired once every target confirmed the new one.
 * - `immediate`: deleted by finishSecret right after promotion (fit for a leaked key; breaks any consumer the push
 *   did not reach at that second).
 * - `staged`: left active; the hourly retirement pass deactivates it after {@link deactivateAfterMs} and deletes it
 *   {@link deleteAfterMs} after that. Deactivation first is the fastest rollback there is (one call).
 */
export interface RetirementPolicy {
  readonly mode: 'immediate' | 'staged';
  /** Time after every target confirmed before the old key is deactivated. @default 24 h */
  readonly deactivateAfterMs: number;
  /** Time after deactivation before the old key is deleted. @default 7 days */
  readonly deleteAfterMs: number;
  /** `hold`: an old key used after the push confirmation is not retired by a routine pass. @default hold */
  readonly inUse: 'hold' | 'proceed';
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The defaults of a new installation: staged, 24 h, 7 days, hold. */
export const DEFAULT_RETIREMENT: RetirementPolicy = {
  mode: 'staged',
  deactivateAfterMs: 24 * HOUR_MS,
  deleteAfterMs: 7 * DAY_MS,
  inUse: 'hold',
};

/**
 * IAM's last-used information is not instantaneous: AWS says recent activity usually appears within four hours.
 * A routine deactivation therefore never happens earlier than this after the confirmation, so a use right after
 * the push has had time to show.
 */
export const LAST_USED_REPORTING_DELAY_MS = 4 * HOUR_MS;

/** Longest window accepted for either duration (the longest rotation schedule Secrets Manager allows is 1000 days). */
export const MAX_WINDOW_MS = 365 * DAY_MS;

/** Environment variables of the policy (the construct sets them). */
export const RETIREMENT_ENV = {
  mode: 'RETIREMENT_POLICY',
  deactivateAfter: 'RETIREMENT_DEACTIVATE_AFTER',
  deleteAfter: 'RETIREMENT_DELETE_AFTER',
  inUse: 'RETIREMENT_IN_USE',
} as const;

const DURATION = /^([0-9]{1,6})\s*(m|min|h|d)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: HOUR_MS, d: DAY_MS };

/**
 * Parses `90m`, `24h` or `7d` into milliseconds.
 * @throws ConfigurationError naming `what` when the text is not a positive duration of at most a year.
 */
export function parseWindow(text: string, what: string, setting?: string): number {
  const match = DURATION.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : NaN;
  if (!match || !(ms > 0) || ms > MAX_WINDOW_MS) {
    throw new ConfigurationError(
      `${what} must be a positive duration of at most 365d written as minutes, hours or days, e.g. 90m, 24h or 7d`,
      setting === undefined ? undefined : { setting },
    );
  }
  return ms;
}

/** Formats milliseconds the way {@link parseWindow} reads them (largest whole unit). */
export function formatWindow(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  return `${Math.round(ms / 60_000)}m`;
}

/**
 * Reads the policy from the function's environment; every variable is optional.
 * @throws ConfigurationError naming the variable
 */
export function loadRetirementPolicy(env: NodeJS.ProcessEnv): RetirementPolicy {
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const mode = get(RETIREMENT_ENV.mode) ?? DEFAULT_RETIREMENT.mode;
  if (mode !== 'immediate' && mode !== 'staged') {
    throw new ConfigurationError(`environment variable ${RETIREMENT_ENV.mode} must be immediate or staged`, {
      setting: RETIREMENT_ENV.mode,
    });
  }
  const inUse = get(RETIREMENT_ENV.inUse) ?? DEFAULT_RETIREMENT.inUse;
  if (inUse !== 'hold' && inUse !== 'proceed') {
    throw new ConfigurationError(`environment variable ${RETIREMENT_ENV.inUse} must be hold or proceed`, {
      setting: RETIREMENT_ENV.inUse,
    });
  }
  const window = (name: string, fallback: number) => {
    const text = get(name);
    return text === undefined ? fallback : parseWindow(text, `environment variable ${name}`, name);
  };
  return {
    mode,
    deactivateAfterMs: window(RETIREMENT_ENV.deactivateAfter, DEFAULT_RETIREMENT.deactivateAfterMs),
    deleteAfterMs: window(RETIREMENT_ENV.deleteAfter, DEFAULT_RETIREMENT.deleteAfterMs),
    inUse,
  };
}
