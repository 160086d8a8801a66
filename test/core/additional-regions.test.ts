import {
  PROBE_ATTEMPT_OVERRUN_MS,
  PROBE_REGION_CONCURRENCY,
  describeProbeBudget,
  planAdditionalRegions,
  probeBudget,
} from '../../src/core/additional-regions';
import { InvalidRegionError } from '../../src/core/errors';

describe('planAdditionalRegions', () => {
  it('gives each additional region its regional SMTP host', () => {
    expect(planAdditionalRegions(['eu-central-1'], 'eu-west-1')).toEqual([
      { region: 'eu-central-1', endpoint: 'email-smtp.eu-central-1.amazonaws.com' },
    ]);
  });

  it('uses the FIPS host when the primary does', () => {
    expect(planAdditionalRegions(['us-west-2'], 'us-east-1', true)[0]?.endpoint).toBe(
      'email-smtp-fips.us-west-2.amazonaws.com',
    );
  });

  it('warns, but continues, for a region not known to have an SMTP endpoint', () => {
    const [plan] = planAdditionalRegions(['ap-east-2'], 'eu-west-1');
    expect(plan?.warning).toContain('ap-east-2');
  });

  it.each([
    ['the primary region', ['eu-west-1'], 'is the primary SES region'],
    ['a region twice', ['eu-central-1', 'eu-central-1'], 'listed twice'],
    ['a region documented without SMTP', ['af-south-1'], 'has no SES SMTP endpoint'],
    ['a malformed name', ['EU_CENTRAL_1'], 'is not an AWS region name'],
  ])('refuses %s', (_what, regions, message) => {
    expect(() => planAdditionalRegions(regions, 'eu-west-1')).toThrow(InvalidRegionError);
    expect(() => planAdditionalRegions(regions, 'eu-west-1')).toThrow(message);
  });
});

describe('probeBudget', () => {
  it('always fits a single region (the behaviour before additional regions)', () => {
    expect(probeBudget(1, 840_000, 870_000).fits).toBe(true);
  });

  it('counts one round per started group of concurrent regions', () => {
    const budget = probeBudget(PROBE_REGION_CONCURRENCY + 1, 150_000, 870_000);
    expect(budget.rounds).toBe(2);
    expect(budget.neededMs).toBe(2 * (150_000 + PROBE_ATTEMPT_OVERRUN_MS));
    expect(budget.fits).toBe(true);
  });

  it('does not fit when the rounds outlast the invocation, and says what to change', () => {
    const budget = probeBudget(PROBE_REGION_CONCURRENCY + 1, 600_000, 870_000);
    expect(budget.fits).toBe(false);
    expect(describeProbeBudget(budget, 600_000)).toContain(
      'configure fewer additional regions or a shorter probe wait',
    );
  });
});
