import { EndpointRegionMismatchError } from './errors';

/** How the connection to the SMTP endpoint is encrypted. */
export type TlsMode = 'starttls' | 'implicit';

/** The SES SMTP ports and their TLS modes: 465/2465 are TLS wrapper ports, the others use STARTTLS. */
export const SES_SMTP_PORTS: Readonly<Record<number, TlsMode>> = {
  587: 'starttls',
  2587: 'starttls',
  25: 'starttls',
  465: 'implicit',
  2465: 'implicit',
};

/** The default port: STARTTLS on 587, which Postfix and IIS guides use and Lambda/EC2 do not restrict. */
export const DEFAULT_SMTP_PORT = 587;

/** The SES SMTP host of a region: `email-smtp[-fips].<region>.amazonaws.com`. */
export function smtpEndpoint(region: string, options: { fips?: boolean } = {}): string {
  return `email-smtp${options.fips ? '-fips' : ''}.${region}.amazonaws.com`;
}

const STANDARD_HOST = /^email-smtp(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com|api\.aws)$/;

/** The region embedded in a standard SES SMTP host name, or undefined for other hosts (VPC endpoint DNS, tests). */
export function regionOfSmtpHost(host: string): string | undefined {
  return STANDARD_HOST.exec(host.toLowerCase())?.[1];
}

/** The TLS mode for a port: implicit TLS on 465 and 2465, STARTTLS everywhere else. */
export function tlsModeForPort(port: number): TlsMode {
  return SES_SMTP_PORTS[port] ?? 'starttls';
}

/**
 * Refuses a host whose embedded region differs from the region the password is derived for: such a password
 * always gets "535 Authentication Credentials Invalid".
 */
export function assertHostMatchesRegion(host: string, region: string): void {
  const hostRegion = regionOfSmtpHost(host);
  if (hostRegion !== undefined && hostRegion !== region) {
    throw new EndpointRegionMismatchError(
      `the SMTP password would be derived for ${region} but the endpoint ${host} is in ${hostRegion}: ` +
        'SES SMTP passwords are region-bound; use the endpoint of the same region or change the region',
    );
  }
}
