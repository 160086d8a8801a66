import { InvalidRegionError } from './errors';

/**
 * Syntax of an AWS region name: `eu-west-1`, `us-gov-east-1`, `us-isob-east-1`. Only the syntax is enforced:
 * AWS keeps adding regions, and a hard-coded allow-list that throws is a known defect of existing tools.
 */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]{1,2}$/;

/**
 * Regions known, when this release was built, to have an SES SMTP endpoint: AWS's own example-script list plus
 * the regions of the General Reference's SMTP endpoint table (us-west-1, eu-west-3, ap-northeast-3). A region that
 * is not here still works; it only produces a warning.
 */
export const KNOWN_SMTP_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'us-gov-west-1',
  'us-gov-east-1',
]);

/** Regions with an observed FIPS SMTP host (`email-smtp-fips.<region>.amazonaws.com`). */
export const KNOWN_FIPS_SMTP_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'us-gov-west-1',
]);

/** A validated region, with a warning when it is not known to have an SMTP endpoint. */
export interface RegionInfo {
  readonly region: string;
  readonly warning?: string;
}

/**
 * Validates the syntax of a region name and tells whether it is known to have an SES SMTP endpoint.
 * @throws InvalidRegionError when the string cannot be a region name.
 */
export function parseRegion(region: string | undefined, fips = false): RegionInfo {
  if (region === undefined || region === '') {
    throw new InvalidRegionError(
      'no SES region given: pass the region whose SMTP endpoint the hosts use, for example eu-west-1',
    );
  }
  if (!REGION_PATTERN.test(region)) {
    throw new InvalidRegionError(
      `"${printable(region)}" is not an AWS region name: a region is lower case words joined by hyphens and ending ` +
        'in a number, for example eu-west-1, us-east-2 or us-gov-west-1',
    );
  }
  const known = fips ? KNOWN_FIPS_SMTP_REGIONS : KNOWN_SMTP_REGIONS;
  if (known.has(region)) return { region };
  const what = fips ? 'a FIPS SES SMTP endpoint' : 'an SES SMTP endpoint';
  return {
    region,
    warning:
      `region ${region} is not in this release's list of regions known to have ${what}; continuing anyway ` +
      `(AWS adds regions). Check that the endpoint resolves and answers: ses-smtp-rotation preflight`,
  };
}

// Region names are not secret, but an operator could paste anything: keep messages short and printable.
function printable(value: string): string {
  const cleaned = value.replace(/[^\x20-\x7e]/g, '?');
  return cleaned.length > 40 ? `${cleaned.slice(0, 40)}…` : cleaned;
}
