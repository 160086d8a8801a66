import {
  assertHostMatchesRegion,
  DEFAULT_SMTP_PORT,
  SES_SMTP_PORTS,
  smtpEndpoint,
  tlsModeForPort,
  type TlsMode,
} from '../core/endpoint';
import { ConfigurationError } from '../core/errors';
import { parseRegion } from '../core/regions';
import { HOST_NAME } from '../core/grammar';

/** What the operator configured about the SMTP endpoint; only `region` is required. */
export interface EndpointRequest {
  /** Region the password is derived for, e.g. `eu-west-1`. */
  readonly region: string;
  /** Use `email-smtp-fips.<region>.amazonaws.com` (ignored when `host` is given). */
  readonly fips?: boolean;
  /** Explicit host: a VPC endpoint DNS name, a dual-stack name, or a test host. */
  readonly host?: string;
  /** Default 587. */
  readonly port?: number;
  /** Default: derived from the port (implicit TLS on 465/2465, STARTTLS elsewhere). */
  readonly tlsMode?: TlsMode;
  /** TLS name to verify instead of the host (VPC endpoint DNS names). */
  readonly tlsServername?: string;
}

/** A validated endpoint, ready for the probe and for the secret's `host`/`port` fields. */
export interface SelectedEndpoint {
  readonly region: string;
  readonly host: string;
  readonly port: number;
  readonly tlsMode: TlsMode;
  readonly tlsServername?: string;
  /** Things worth telling the operator that do not stop the rotation. */
  readonly warnings: readonly string[];
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Chooses host, port and TLS mode from the configuration: `email-smtp[-fips].<region>.amazonaws.com` unless a host
 * is given, port 587 by default, TLS mode from the port unless set. Refuses contradictions that can only time out
 * or fail (implicit TLS on a STARTTLS port and the reverse, a standard host of another region).
 * @throws ConfigurationError / InvalidRegionError / EndpointRegionMismatchError with what to change
 */
export function selectSmtpEndpoint(request: EndpointRequest): SelectedEndpoint {
  const { region, warning } = parseRegion(request.region, request.fips === true && request.host === undefined);
  const warnings: string[] = warning ? [warning] : [];
  const host = request.host?.trim() || smtpEndpoint(region, { fips: request.fips === true });
  if (!HOST_NAME.test(host) && !IPV4.test(host)) {
    throw new ConfigurationError(
      `SMTP host "${host.slice(0, 80)}" is not a host name: give a DNS name such as ${smtpEndpoint(region)}`,
    );
  }
  if (/^email\.[a-z0-9-]+\.amazonaws\.com$/i.test(host)) {
    throw new ConfigurationError(
      `${host} is the SES API host (HTTPS only), not the SMTP endpoint: use ${smtpEndpoint(region)}`,
    );
  }
  assertHostMatchesRegion(host, region);

  const port = request.port ?? DEFAULT_SMTP_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConfigurationError(`SMTP port ${String(port)} is not a port number: use 587 (STARTTLS) or 465 (TLS)`);
  }
  const portMode = SES_SMTP_PORTS[port];
  const tlsMode = request.tlsMode ?? tlsModeForPort(port);
  if (portMode !== undefined && tlsMode !== portMode) {
    throw new ConfigurationError(
      `port ${port} uses ${portMode === 'implicit' ? 'implicit TLS' : 'STARTTLS'} at SES, but ${tlsMode} was ` +
        'configured: the connection would stall ("Greeting never received") or fail the handshake. Leave the TLS ' +
        'mode unset, or use 465/2465 for implicit TLS and 587/2587 for STARTTLS',
    );
  }
  if (port === 25) {
    warnings.push('port 25 is restricted from EC2 and Lambda by default; prefer 587 or 2587');
  } else if (portMode === undefined) {
    warnings.push(`port ${port} is not an SES SMTP port (587, 2587, 25, 465, 2465); using ${tlsMode}`);
  }
  const tlsServername = request.tlsServername?.trim() || undefined;
  return { region, host, port, tlsMode, ...(tlsServername !== undefined && { tlsServername }), warnings };
}
