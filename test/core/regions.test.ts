import { InvalidRegionError } from '../../src/core/errors';
import { KNOWN_SMTP_REGIONS, parseRegion } from '../../src/core/regions';

describe('parseRegion', () => {
  it('accepts a known SMTP region without a warning', () => {
    expect(parseRegion('eu-west-1')).toEqual({ region: 'eu-west-1' });
  });

  it.each(['il-central-1', 'me-central-1', 'ap-southeast-5', 'us-isob-east-1'])(
    'accepts the well-formed region %s that is not on the known list, with a warning',
    (region) => {
      const info = parseRegion(region);
      expect(info.region).toBe(region);
      expect(info.warning).toContain(`region ${region} is not in this release's list`);
      expect(info.warning).toContain('preflight');
    },
  );

  it.each(['ap-northeast-3', 'us-gov-east-1', 'us-west-1', 'eu-west-3'])('knows %s', (region) => {
    expect(KNOWN_SMTP_REGIONS.has(region)).toBe(true);
    expect(parseRegion(region).warning).toBeUndefined();
  });

  it('warns for a FIPS endpoint in a region without a known FIPS host', () => {
    expect(parseRegion('eu-west-1', true).warning).toContain('FIPS');
    expect(parseRegion('us-east-1', true).warning).toBeUndefined();
  });

  it.each([
    ['EU-West-1', 'lower case'],
    ['eu_west_1', 'hyphens'],
    ['eu-west', 'ending in a number'],
    ['', 'no SES region given'],
  ])('rejects the malformed region "%s" and says what a region looks like', (region, hint) => {
    expect(() => parseRegion(region)).toThrow(InvalidRegionError);
    expect(() => parseRegion(region)).toThrow(hint);
  });

  it('rejects a missing region', () => {
    expect(() => parseRegion(undefined)).toThrow('for example eu-west-1');
  });
});
