import { regionOfSmtpHost, smtpEndpoint } from '../core/endpoint';
import { SECRET_ACCESS_KEY_PATTERN, SIGV2_SMTP_PASSWORD_PATTERN, SMTP_PASSWORD_PATTERN } from '../core/key-shapes';
import { TRUSTED_CA_SETTING } from '../core/trusted-ca';
import type { Failure, FailureKind } from './classify';
import {
  SmtpAccountNotSubscribedError,
  SmtpAuthRejectedError,
  SmtpAuthRequiredError,
  SmtpNetworkError,
  SmtpNotAuthorizedError,
  SmtpProbeError,
  SmtpProtocolError,
  SmtpStartTlsMissingError,
  SmtpTemporaryFailureError,
  SmtpTimeoutError,
  SmtpTlsError,
  type ProbeSummary,
} from './errors';
import type { ProbeTimeouts } from './settings';

/** What the password looks like — its shape only, enough to name a classic mistake without showing it. */
export type PasswordShape = 'sigv4' | 'sigv2' | 'secret-key' | 'other';

/** Tells a derived SigV4 password from a legacy SigV2 one or a raw 40-character secret access key. */
export function passwordShape(password: string): PasswordShape {
  if (SMTP_PASSWORD_PATTERN.test(password)) return 'sigv4';
  if (SIGV2_SMTP_PASSWORD_PATTERN.test(password)) return 'sigv2';
  if (SECRET_ACCESS_KEY_PATTERN.test(password)) return 'secret-key';
  return 'other';
}

/** Facts the explanation may use besides the failure itself. */
export interface ExplainContext {
  readonly summary: ProbeSummary;
  readonly passwordShape: PasswordShape;
  readonly timeouts: ProbeTimeouts;
  /** True when a retryable reply was still coming when the deadline was reached. */
  readonly deadlineReached: boolean;
  /** True when an extra CA was configured (then it is the wrong one, rather than missing). */
  readonly trustedCaConfigured?: boolean;
}

type ErrorClass = new (message: string, summary: ProbeSummary, options?: { cause?: unknown }) => SmtpProbeError;

const CLASSES: Record<FailureKind, ErrorClass> = {
  rejected: SmtpAuthRejectedError,
  temporary: SmtpTemporaryFailureError,
  'not-subscribed': SmtpAccountNotSubscribedError,
  'auth-required': SmtpAuthRequiredError,
  'not-authorized': SmtpNotAuthorizedError,
  'starttls-missing': SmtpStartTlsMissingError,
  tls: SmtpTlsError,
  timeout: SmtpTimeoutError,
  dns: SmtpNetworkError,
  network: SmtpNetworkError,
  protocol: SmtpProtocolError,
};

/** Builds the explained error for a failure. `cause` must already be free of secrets. */
export function explainFailure(failure: Failure, context: ExplainContext, cause?: unknown): SmtpProbeError {
  const message = `${headline(failure, context)} ${causes(failure, context)}`;
  const ErrorType = CLASSES[failure.kind];
  return new ErrorType(message, context.summary, cause === undefined ? undefined : { cause });
}

function headline(failure: Failure, { summary, deadlineReached }: ExplainContext): string {
  const s = summary;
  const where = `${s.host}:${s.port} (${s.tlsMode === 'implicit' ? 'implicit TLS' : 'STARTTLS'}${
    s.servername ? `, TLS name ${s.servername}` : ''
  })`;
  const reply = failure.response ? `"${oneLine(failure.response)}"` : technical(failure);
  const tries = `${s.attempts} attempt${s.attempts === 1 ? '' : 's'} in ${seconds(s.elapsedMs)}`;
  const until = deadlineReached ? ', until the time allowed for the check ran out' : '';
  return `SMTP AUTH as ${s.username} (password derived for ${s.region}) at ${where} failed: ${reply} (${tries}${until}).`;
}

function causes(failure: Failure, context: ExplainContext): string {
  const { summary: s } = context;
  const regional = smtpEndpoint(s.region);
  const portModes =
    'SES uses implicit TLS on 465 and 2465 and STARTTLS on 587, 2587 and 25; a port used with the other mode ' +
    'stalls or fails the handshake';
  switch (failure.kind) {
    case 'rejected':
      return `SES did not accept the credentials. Likely causes: ${rejectedCauses(context).join('; ')}.`;
    case 'temporary':
      return (
        'SES could not check the credentials (a temporary SES-side problem). Nothing is wrong with the key as far ' +
        'as this reply tells; the rotation is retried by Secrets Manager. If it persists, check the AWS Health ' +
        `Dashboard for SES in ${s.region}.`
      );
    case 'not-subscribed':
      return (
        `The AWS account is not enabled for SES in ${s.region}. Check that ${s.region} is the region where the ` +
        'account uses SES (production access or sandbox is set per region), or configure the right region. ' +
        'Retrying does not help.'
      );
    case 'auth-required':
      return (
        'The server wanted authentication before the command that was sent: this points to a bug or a proxy in ' +
        'between, not to the credential. Please report it with this message.'
      );
    case 'not-authorized':
      return (
        'The credentials authenticated but the IAM user may not send: its policy must allow ses:SendRawEmail on ' +
        'the sending identity (and configuration set, if used). SMTP AUTH alone does not check this permission.'
      );
    case 'starttls-missing':
      return (
        'The server did not offer (or refused) STARTTLS, so the credentials were NOT sent over plain text. An SES ' +
        `endpoint always offers STARTTLS on 587/2587/25: the host is probably not SES (a proxy, a local relay, a ` +
        `wrong host name) or something strips STARTTLS on the way. Use ${regional} or the email-smtp VPC endpoint.`
      );
    case 'tls':
      return `The TLS connection could not be verified. Likely causes: ${tlsCauses(failure, context, portModes).join('; ')}.`;
    case 'timeout':
      return `${timeoutWhat(failure, context.timeouts)} Likely causes: ${timeoutCauses(portModes, s.region).join('; ')}.`;
    case 'dns':
      return (
        `The host name ${s.host} does not resolve. Check the spelling (the SMTP host is email-smtp.<region>` +
        '.amazonaws.com, not email.<region>.amazonaws.com), that SES offers an SMTP endpoint in ' +
        `${s.region} (${regional}), and, inside a VPC, that DNS resolution works and private DNS of the ` +
        'email-smtp VPC endpoint is enabled. This is not a credential problem.'
      );
    case 'network':
      return (
        `The connection was ${failure.systemCode === 'ECONNREFUSED' ? 'refused' : 'cut or could not be made'}` +
        `${failure.systemCode ? ` (${failure.systemCode})` : ''}. Check the port (587 by default), the ` +
        'security groups / network ACLs of the caller and of the email-smtp VPC endpoint, and the route out ' +
        '(NAT gateway or VPC endpoint). This is not a credential problem.'
      );
    case 'protocol':
      return (
        'The server gave an unexpected answer. Check that the host is an SES SMTP endpoint and the port/TLS mode ' +
        `pair is right (${portModes}).`
      );
  }
}

function rejectedCauses({ summary: s, passwordShape: shape, deadlineReached }: ExplainContext): string[] {
  const list: string[] = [];
  const hostRegion = regionOfSmtpHost(s.host);
  if (shape === 'secret-key') {
    list.push(
      'the password has the shape of a raw IAM secret access key (40 characters): SES needs the SMTP password ' +
        `derived from it for ${s.region} (ses-smtp-rotation derive), never the secret key itself`,
    );
  }
  if (shape === 'sigv2') {
    list.push('the password has the shape of a legacy SigV2 SMTP password, which SES no longer accepts: rotate');
  }
  if (hostRegion !== undefined && hostRegion !== s.region) {
    list.push(`the host is in ${hostRegion} but the password was derived for ${s.region}: passwords are region-bound`);
  } else {
    list.push(
      `the password was derived for ${s.region} and works only at that region's endpoint; the host here is ` +
        `${s.host}${hostRegion === undefined ? ` — make sure it serves ${s.region}` : ''}`,
    );
  }
  if (shape !== 'secret-key') {
    list.push('the raw secret access key was used as the password instead of the derived SMTP password');
  }
  list.push(`the user name must be the access key id (${s.username}), not the IAM user name`);
  if (shape !== 'sigv2') list.push('a legacy SigV2 password (starts with "A") from an old key');
  list.push(
    'the access key is inactive or deleted' +
      (deadlineReached
        ? `, or is brand new and still not accepted after ${seconds(s.elapsedMs)} (IAM changes propagate ` +
          'eventually; a later retry of the rotation may succeed)'
        : ''),
  );
  return list;
}

function tlsCauses(failure: Failure, { summary: s, trustedCaConfigured }: ExplainContext, portModes: string): string[] {
  const text = `${failure.systemCode ?? ''} ${failure.detail}`;
  const list: string[] = [];
  if (/wrong version number|packet length|unknown protocol/i.test(text))
    list.push(`a port/TLS mode mismatch: ${portModes}`);
  if (/altname|hostname|host name/i.test(text)) {
    list.push(
      `the certificate does not name ${s.servername ?? s.host}: when connecting through a VPC endpoint DNS name, set ` +
        `the TLS server name to ${smtpEndpoint(s.region)}`,
    );
  }
  if (/self[- ]signed|unable to (verify|get)|issuer|untrusted/i.test(text)) {
    list.push(
      trustedCaConfigured
        ? 'the certificate chain is not trusted: the configured extra CA does not sign this certificate; supply ' +
            `the CA that does, e.g. the TLS-inspecting proxy's root (${TRUSTED_CA_SETTING})`
        : 'the certificate chain is not trusted: a TLS-inspecting proxy or a private endpoint needs its CA ' +
            `certificate supplied explicitly (${TRUSTED_CA_SETTING})`,
    );
  }
  if (/expired|not yet valid/i.test(text)) list.push('the certificate is expired or not yet valid (check the clock)');
  list.push('verification stays on by design: never disable it; the credentials were not sent');
  return list;
}

function timeoutWhat(failure: Failure, t: ProbeTimeouts): string {
  switch (failure.timeoutType) {
    case 'CONNECT_TIMEOUT':
      return `No connection within ${seconds(t.connectionMs)}.`;
    case 'GREETING_TIMEOUT':
      return `Connected, but no SMTP greeting within ${seconds(Math.min(t.greetingMs, t.connectionMs))} ("Greeting never received").`;
    case 'UPGRADE_TIMEOUT':
      return 'The TLS handshake did not finish in time.';
    case 'SOCKET_TIMEOUT':
      return `The server stopped answering for ${seconds(t.socketMs)}.`;
    default:
      return 'The connection timed out.';
  }
}

function timeoutCauses(portModes: string, region: string): string[] {
  return [
    `a port/TLS mode mismatch (${portModes})`,
    'port 25 is restricted from EC2 and Lambda by default (use 587 or 2587)',
    'security groups or network ACLs block the port outbound, or the email-smtp VPC endpoint security group does not allow it inbound',
    'a Lambda in a VPC without a NAT gateway or an interface endpoint for ' +
      `com.amazonaws.${region}.email-smtp (with private DNS)`,
    'this is not a credential problem',
  ];
}

// OpenSSL messages carry a hex prefix and a source path; keep the reason and the code.
function technical(failure: Failure): string {
  const openssl = /error:[0-9A-F]+:SSL routines:[^:]*:([^:]+):/i.exec(failure.detail);
  const text = oneLine(openssl?.[1] ?? failure.detail);
  return failure.systemCode && !text.includes(failure.systemCode) ? `${text} [${failure.systemCode}]` : text;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
