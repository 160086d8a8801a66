import { assertHostMatchesRegion, regionOfSmtpHost, smtpEndpoint, tlsModeForPort } from '../../src/core/endpoint';
import { EndpointRegionMismatchError } from '../../src/core/errors';

describe('smtpEndpoint', () => {
  it('builds the standard and FIPS hosts of a region', () => {
    expect(smtpEndpoint('eu-west-1')).toBe('email-smtp.eu-west-1.amazonaws.com');
    expect(smtpEndpoint('us-gov-west-1', { fips: true })).toBe('email-smtp-fips.us-gov-west-1.amazonaws.com');
  });
});

describe('regionOfSmtpHost', () => {
  it('reads the region of standard, FIPS and dual-stack hosts', () => {
    expect(regionOfSmtpHost('email-smtp.eu-west-1.amazonaws.com')).toBe('eu-west-1');
    expect(regionOfSmtpHost('email-smtp-fips.us-east-1.amazonaws.com')).toBe('us-east-1');
    expect(regionOfSmtpHost('email-smtp.eu-west-1.api.aws')).toBe('eu-west-1');
  });

  it('returns undefined for a VPC endpoint or test host', () => {
    expect(regionOfSmtpHost('vpce-0abc-xyz.email-smtp.eu-west-1.vpce.amazonaws.com')).toBeUndefined();
    expect(regionOfSmtpHost('localhost')).toBeUndefined();
  });
});

describe('assertHostMatchesRegion', () => {
  it('refuses a standard host of another region', () => {
    expect(() => assertHostMatchesRegion('email-smtp.us-east-1.amazonaws.com', 'eu-west-1')).toThrow(
      EndpointRegionMismatchError,
    );
    expect(() => assertHostMatchesRegion('email-smtp.us-east-1.amazonaws.com', 'eu-west-1')).toThrow(
      'derived for eu-west-1 but the endpoint email-smtp.us-east-1.amazonaws.com is in us-east-1',
    );
  });

  it('accepts the same region and non-standard hosts', () => {
    expect(() => assertHostMatchesRegion('email-smtp.eu-west-1.amazonaws.com', 'eu-west-1')).not.toThrow();
    expect(() => assertHostMatchesRegion('localhost', 'eu-west-1')).not.toThrow();
  });
});

describe('tlsModeForPort', () => {
  it('uses implicit TLS on 465 and 2465 and STARTTLS elsewhere', () => {
    expect([465, 2465].map(tlsModeForPort)).toEqual(['implicit', 'implicit']);
    expect([587, 2587, 25, 10025].map(tlsModeForPort)).toEqual(['starttls', 'starttls', 'starttls', 'starttls']);
  });
});
