import { smtpEndpoint } from './endpoint';
import { InvalidRegionError } from './errors';
import { parseRegion } from './regions';

/**
 * Regions the SES page lists as having no SMTP endpoint (API only), when this release was built. Unlike an
 * unknown region (a warning: AWS adds regions), these are refused as additional regions: a password for them can
 * never be proven, so every rotation would stop in testSecret.
 */
export const REGIONS_WITHOUT_SMTP: ReadonlySet<string> = new Set([
  'af-south-1',
  'ap-southeast-3',
  'il-central-1',
  'me-south-1',
]);

/** An additional (disaster-recovery) SES region of the configuration, with the SMTP host its relays use. */
export interface AdditionalRegion {
  readonly region: string;
  /** `email-smtp[-fips].<region>.amazonaws.com`. */
  readonly endpoint: string;
  /** Set when the region is not known to have an SMTP endpoint (continuing anyway, as for the primary). */
  readonly warning?: string;
}

/**
 * Validates the additional regions against the primary one with the rules of {@link parseRegion}: the syntax,
 * not the primary region, not twice, not a region documented without an SMTP endpoint. The message names the
 * region (region names are not secret) and what to do; the caller adds the setting's name.
 * @throws InvalidRegionError
 */
export function planAdditionalRegions(
  regions: readonly string[],
  primaryRegion: string,
  fips = false,
): AdditionalRegion[] {
  const seen = new Set<string>();
  return regions.map((text) => {
    const { region, warning } = parseRegion(text, fips);
    if (region === primaryRegion) {
      throw new InvalidRegionError(
        `${region} is the primary SES region: the top-level password already serves it; list only the other ` +
          'regions (for example the disaster-recovery region)',
      );
    }
    if (seen.has(region)) throw new InvalidRegionError(`${region} is listed twice: list each region once`);
    if (REGIONS_WITHOUT_SMTP.has(region)) {
      throw new InvalidRegionError(
        `${region} has no SES SMTP endpoint (SES offers only its API there): a password for it could never be ` +
          'proven; choose a region with an SMTP endpoint (email-smtp.<region>.amazonaws.com)',
      );
    }
    seen.add(region);
    return { region, endpoint: smtpEndpoint(region, { fips }), ...(warning !== undefined && { warning }) };
  });
}

/** Regions testSecret probes at the same time: a DR setup (2 regions) is one round; 20 regions fit in 5. */
export const PROBE_REGION_CONCURRENCY = 4;

/**
 * How long one region's probe may take at worst beyond its retry window: an attempt that starts just before the
 * window closes still runs its connection, greeting and socket timeouts (10 s each by default).
 */
export const PROBE_ATTEMPT_OVERRUN_MS = 30_000;

/** What testSecret needs for all regions, and what the function has. */
export interface ProbeBudget {
  readonly regions: number;
  readonly rounds: number;
  readonly neededMs: number;
  readonly availableMs: number;
  readonly fits: boolean;
}

/**
 * The worst-case time testSecret needs to prove `regions` regions, each with its own full retry window, at
 * {@link PROBE_REGION_CONCURRENCY} at a time, against the time a Lambda invocation leaves (timeout minus safety
 * margin). The construct runs it at synth with the function's timeout and testSecret at run time with the
 * invocation's remaining time: one rule, two moments.
 */
export function probeBudget(regions: number, probeMaxWaitMs: number, availableMs: number): ProbeBudget {
  const rounds = Math.ceil(regions / PROBE_REGION_CONCURRENCY);
  const neededMs = rounds * (probeMaxWaitMs + PROBE_ATTEMPT_OVERRUN_MS);
  return { regions, rounds, neededMs, availableMs, fits: regions <= 1 || neededMs <= availableMs };
}

/** The explanation of a budget that does not fit; names no setting (the caller knows its own names). */
export function describeProbeBudget(budget: ProbeBudget, probeMaxWaitMs: number): string {
  const s = (ms: number) => `${Math.ceil(ms / 1000)} s`;
  return (
    `proving ${budget.regions} regions takes up to ${s(budget.neededMs)} (${budget.rounds} round(s) of at most ` +
    `${PROBE_REGION_CONCURRENCY} regions in parallel, each with its ${s(probeMaxWaitMs)} retry window plus ` +
    `${s(PROBE_ATTEMPT_OVERRUN_MS)} for a last attempt), but testSecret has ${s(budget.availableMs)} (the function's ` +
    'timeout minus the safety margin): configure fewer additional regions or a shorter probe wait'
  );
}
