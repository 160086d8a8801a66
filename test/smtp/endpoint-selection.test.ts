import { EndpointRegionMismatchError } from '../../src/core/errors';
import { ConfigurationError, InvalidRegionError } from '../../src/core/errors';
import { selectSmtpEndpoint } from '../../src/smtp/endpoint-selection';

describe('selectSmtpEndpoint', () => {
  it('defaults to the regional host on 587 with STARTTLS', () => {
    expect(selectSmtpEndpoint({ region: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
      host: 'email-smtp.eu-west-1.amazonaws.com',
      port: 587,
      tlsMode: 'starttls',
      warnings: [],
    });
  });

  it('uses the FIPS host and implicit TLS on 465', () => {
    const selected = selectSmtpEndpoint({ region: 'us-east-1', fips: true, port: 465 });

    expect(selected).toMatchObject({ host: 'email-smtp-fips.us-east-1.amazonaws.com', port: 465, tlsMode: 'implicit' });
  });

  it('keeps an explicit VPC endpoint host and its TLS server name', () => {
    const host = 'vpce-0abc123-xyz.email-smtp.eu-west-1.vpce.amazonaws.com';

    const selected = selectSmtpEndpoint({
      region: 'eu-west-1',
      host,
      port: 2587,
      tlsServername: 'email-smtp.eu-west-1.amazonaws.com',
    });

    expect(selected).toMatchObject({
      host,
      port: 2587,
      tlsMode: 'starttls',
      tlsServername: 'email-smtp.eu-west-1.amazonaws.com',
    });
  });

  it('warns about port 25, non-SES ports and regions not known to have an endpoint', () => {
    expect(selectSmtpEndpoint({ region: 'eu-west-1', port: 25 }).warnings).toEqual([
      expect.stringContaining('port 25 is restricted'),
    ]);
    expect(selectSmtpEndpoint({ region: 'eu-west-1', host: '127.0.0.1', port: 2525 }).warnings).toEqual([
      expect.stringContaining('port 2525 is not an SES SMTP port'),
    ]);
    expect(selectSmtpEndpoint({ region: 'xx-north-9' }).warnings).toEqual([expect.stringContaining('xx-north-9')]);
  });

  it('refuses a TLS mode that contradicts the SES port', () => {
    expect(() => selectSmtpEndpoint({ region: 'eu-west-1', port: 587, tlsMode: 'implicit' })).toThrow(
      ConfigurationError,
    );
    expect(() => selectSmtpEndpoint({ region: 'eu-west-1', port: 465, tlsMode: 'starttls' })).toThrow(
      'port 465 uses implicit TLS at SES',
    );
  });

  it('refuses the API host, a host of another region, bad hosts, ports and regions', () => {
    expect(() => selectSmtpEndpoint({ region: 'eu-west-1', host: 'email.eu-west-1.amazonaws.com' })).toThrow(
      'is the SES API host',
    );
    expect(() => selectSmtpEndpoint({ region: 'eu-west-1', host: 'email-smtp.us-east-1.amazonaws.com' })).toThrow(
      EndpointRegionMismatchError,
    );
    expect(() => selectSmtpEndpoint({ region: 'eu-west-1', host: 'smtp://host' })).toThrow('is not a host name');
    expect(() => selectSmtpEndpoint({ region: 'eu-west-1', port: 70_000 })).toThrow('is not a port number');
    expect(() => selectSmtpEndpoint({ region: 'EU_WEST_1' })).toThrow(InvalidRegionError);
  });
});
