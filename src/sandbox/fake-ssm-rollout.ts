/**
 * The rollout limits of one simulated Run Command, as pure functions of the time since its targets were resolved:
 * MaxConcurrency (reached through a ramp that doubles the hosts at once every step) and MaxErrors.
 */

/** "10" → 10; "10%" → 10 % of `targets` ([unverified] rounding: concurrency up, errors down). */
export function rolloutLimit(text: string, targets: number, round: 'ceil' | 'floor'): number {
  if (!text.endsWith('%')) return Number(text);
  return Math[round]((Number(text.slice(0, -1)) / 100) * targets);
}

/** Hosts allowed at once `elapsedMs` after resolution: 1, doubling every `rampStepMs` (0: no ramp), up to `cap`. */
export function concurrencySlots(rampStepMs: number, elapsedMs: number, cap: number): number {
  if (rampStepMs <= 0) return cap;
  const doublings = Math.floor(elapsedMs / rampStepMs);
  return Math.min(cap, 2 ** Math.min(Math.max(doublings, 0), 30));
}

/** The next ramp step after `elapsedMs` (ms since resolution) while the ramp is below `cap`; else undefined. */
export function nextRampStep(rampStepMs: number, elapsedMs: number, cap: number): number | undefined {
  if (rampStepMs <= 0 || concurrencySlots(rampStepMs, elapsedMs, cap) >= cap) return undefined;
  return (Math.floor(elapsedMs / rampStepMs) + 1) * rampStepMs;
}
