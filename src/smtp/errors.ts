import type { TlsMode } from '../core/endpoint';
import { SesSmtpRotationError } from '../core/errors';

/** What the probe tried, attached to every probe error for logs and notifications. Holds no secret. */
export interface ProbeSummary {
  readonly host: string;
  readonly port: number;
  readonly tlsMode: TlsMode;
  /** TLS server name checked against the certificate, when it differs from the host. */
  readonly servername?: string;
  /** Region the password was derived for. */
  readonly region: string;
  /** Masked access key id, e.g. `AKIA…MPLE`. */
  readonly username: string;
  readonly attempts: number;
  readonly elapsedMs: number;
  /** SMTP reply code of the last attempt, when the server answered. */
  readonly responseCode?: number;
}

/** Base class of the probe's errors: the message explains the likely causes; `summary` says what was tried. */
export class SmtpProbeError extends SesSmtpRotationError {
  constructor(
    message: string,
    readonly summary: ProbeSummary,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 535 until the deadline: wrong password/region/key, or a new key that SES still does not accept. */
export class SmtpAuthRejectedError extends SmtpProbeError {}

/** 454 until the deadline: SES could not check credentials. */
export class SmtpTemporaryFailureError extends SmtpProbeError {}

/** "535 Account not subscribed to SES": SES is not enabled for the account in that region. */
export class SmtpAccountNotSubscribedError extends SmtpProbeError {}

/** 530 Authentication required: the client skipped AUTH (a configuration bug). */
export class SmtpAuthRequiredError extends SmtpProbeError {}

/** 554 Access denied: authenticated but not allowed ses:SendRawEmail. */
export class SmtpNotAuthorizedError extends SmtpProbeError {}

/** DNS failure, refused, reset or unreachable connection: not a credential problem. */
export class SmtpNetworkError extends SmtpProbeError {}

/** TLS handshake, certificate or host-name verification failed: not a credential problem. */
export class SmtpTlsError extends SmtpProbeError {}

/** The server did not offer STARTTLS: the credentials were not sent. */
export class SmtpStartTlsMissingError extends SmtpProbeError {}

/** A connect, greeting, TLS or reply timeout. */
export class SmtpTimeoutError extends SmtpProbeError {}

/** Any other unexpected reply or protocol problem. */
export class SmtpProtocolError extends SmtpProbeError {}
