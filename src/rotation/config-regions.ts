import {
  describeProbeBudget,
  planAdditionalRegions,
  probeBudget,
  type AdditionalRegion,
} from '../core/additional-regions';
import { ConfigurationError, InvalidRegionError } from '../core/errors';

/** The variable listing the additional (disaster-recovery) SES regions, comma-separated: `eu-central-1`. */
export const ADDITIONAL_REGIONS_ENV = 'SES_ADDITIONAL_REGIONS';

/** Lambda's longest timeout; the construct uses it. testSecret checks again with the invocation's real time. */
export const LAMBDA_MAX_TIMEOUT_MS = 900_000;

/** What the additional regions are checked against. */
export interface AdditionalRegionsContext {
  readonly primaryRegion: string;
  readonly fips: boolean;
  readonly tlsServernameSet: boolean;
  readonly probeMaxWaitMs: number;
  readonly safetyMarginMs: number;
  /** @default {@link LAMBDA_MAX_TIMEOUT_MS} */
  readonly timeoutMs?: number;
}

/** Splits `eu-central-1, us-east-1` into region names (empty entries dropped). */
export function splitRegionList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Validates the additional regions of {@link ADDITIONAL_REGIONS_ENV}: each with the endpoint rules of `src/core`,
 * none equal to the primary region, and all of them provable within one testSecret invocation.
 * @throws ConfigurationError with `setting` {@link ADDITIONAL_REGIONS_ENV}
 */
export function loadAdditionalRegions(text: string | undefined, context: AdditionalRegionsContext): AdditionalRegion[] {
  const fail = (message: string): never => {
    throw new ConfigurationError(`environment variable ${ADDITIONAL_REGIONS_ENV} ${message}`, {
      setting: ADDITIONAL_REGIONS_ENV,
    });
  };
  let regions: AdditionalRegion[] = [];
  try {
    regions = planAdditionalRegions(splitRegionList(text), context.primaryRegion, context.fips);
  } catch (error) {
    if (!(error instanceof InvalidRegionError)) throw error;
    fail(`is invalid: ${error.message}`);
  }
  if (regions.length === 0) return regions;
  if (context.tlsServernameSet) {
    fail(
      'cannot be combined with SMTP_TLS_SERVERNAME: the additional regions are proven at their regional hosts, ' +
        'whose certificates name themselves. Use a VPC endpoint with private DNS (no server name needed) or ' +
        'configure no additional region',
    );
  }
  const budget = probeBudget(
    regions.length + 1,
    context.probeMaxWaitMs,
    (context.timeoutMs ?? LAMBDA_MAX_TIMEOUT_MS) - context.safetyMarginMs,
  );
  if (!budget.fits) fail(`lists too many regions: ${describeProbeBudget(budget, context.probeMaxWaitMs)}`);
  return regions;
}
