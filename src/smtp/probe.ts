import { systemClock, type Clock, type Deadline } from '../core/clock';
import { tlsModeForPort, type TlsMode } from '../core/endpoint';
import { ConfigurationError } from '../core/errors';
import { maskKeyId } from '../core/mask';
import type { ProbeReport, SmtpProbe, SmtpProbeTarget } from '../rotation/ports';
import { authenticateOnce, type AttemptSettings } from './attempt';
import { classifyFailure, isRetryable } from './classify';
import type { ProbeSummary } from './errors';
import { explainFailure, passwordShape } from './explain';
import { sanitizedCause, secretForms } from './redact';
import { backoffDelay, resolveBackoff, resolveTimeouts, type BackoffPolicy, type ProbeTimeouts } from './settings';

/** A retry about to happen, for the caller's log. Contains no secret. */
export interface RetryEvent {
  /** The attempt that just failed (1-based). */
  readonly attempt: number;
  readonly responseCode?: number;
  /** How long the probe waits before the next attempt. */
  readonly waitMs: number;
  readonly elapsedMs: number;
  /** Masked access key id. */
  readonly username: string;
}

/** Options of {@link NodemailerSmtpProbe}; everything has a production default. */
export interface SmtpProbeOptions {
  /** Time source for waits and elapsed time (virtual in tests). */
  readonly clock?: Clock;
  /**
   * Extra CA certificate (PEM) to trust besides the public roots: private endpoints, tests. Parsed at the boundary
   * that supplies it (the function's loadConfig), not again here.
   */
  readonly extraCaPem?: string;
  /**
   * Trust `extraCaPem` alone, not the public roots besides it: for the offline sandbox, whose endpoint's certificate
   * comes from its own CA (and which then skips parsing some 140 public roots). The function never sets it.
   * @default false
   */
  readonly extraCaOnly?: boolean;
  /** Name to verify the certificate against instead of the host (VPC endpoint DNS names). */
  readonly tlsServername?: string;
  /** Overrides the TLS mode derived from the port. */
  readonly tlsMode?: TlsMode;
  /** SASL mechanism; default: the first the server offers. */
  readonly authMethod?: 'PLAIN' | 'LOGIN';
  readonly timeouts?: Partial<ProbeTimeouts>;
  readonly backoff?: Partial<BackoffPolicy>;
  /** Called before each wait between attempts (for logging progress). */
  readonly onRetry?: (event: RetryEvent) => void;
}

/**
 * The SMTP probe of testSecret, on nodemailer: one fresh TLS connection per attempt, AUTH, QUIT, no mail.
 * 535/454 are retried with a growing wait until the deadline (a new key may take a while to be accepted); every
 * other failure ends the probe at once with an explained error. Nothing it throws contains the password.
 */
export class NodemailerSmtpProbe implements SmtpProbe {
  private readonly clock: Clock;
  private readonly timeouts: ProbeTimeouts;
  private readonly backoff: BackoffPolicy;

  /** @throws ConfigurationError on invalid timeouts or backoff. */
  constructor(private readonly options: SmtpProbeOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timeouts = resolveTimeouts(options.timeouts);
    this.backoff = resolveBackoff(options.backoff);
  }

  async authenticate(target: SmtpProbeTarget, deadline: Deadline): Promise<ProbeReport> {
    checkTarget(target);
    const settings = this.settingsFor(target);
    const secrets = secretForms(target.username, target.password);
    const started = this.clock.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await authenticateOnce(settings, target.username, target.password);
        return { attempts: attempt, elapsedMs: this.clock.now() - started };
      } catch (error) {
        const failure = classifyFailure(error);
        const elapsedMs = this.clock.now() - started;
        const remaining = deadline.remaining();
        if (isRetryable(failure.kind) && remaining > 0) {
          const waitMs = Math.min(backoffDelay(attempt, this.backoff), remaining);
          this.options.onRetry?.({
            attempt,
            ...(failure.responseCode !== undefined && { responseCode: failure.responseCode }),
            waitMs,
            elapsedMs,
            username: maskKeyId(target.username),
          });
          await this.clock.sleep(waitMs);
          continue;
        }
        const summary = this.summary(settings, target, attempt, elapsedMs, failure.responseCode);
        throw explainFailure(
          failure,
          {
            summary,
            passwordShape: passwordShape(target.password),
            timeouts: this.timeouts,
            deadlineReached: isRetryable(failure.kind),
            trustedCaConfigured: this.options.extraCaPem !== undefined,
          },
          sanitizedCause(error, secrets),
        );
      }
    }
  }

  private settingsFor(target: SmtpProbeTarget): AttemptSettings {
    const { extraCaPem, extraCaOnly, tlsServername, authMethod } = this.options;
    return {
      host: target.host,
      port: target.port,
      tlsMode: this.options.tlsMode ?? tlsModeForPort(target.port),
      ...(tlsServername !== undefined && tlsServername !== '' && { servername: tlsServername }),
      ...(extraCaPem !== undefined && { extraCaPem, extraCaOnly: extraCaOnly === true }),
      timeouts: this.timeouts,
      ...(authMethod !== undefined && { authMethod }),
    };
  }

  private summary(
    settings: AttemptSettings,
    target: SmtpProbeTarget,
    attempts: number,
    elapsedMs: number,
    responseCode: number | undefined,
  ): ProbeSummary {
    return {
      host: settings.host,
      port: settings.port,
      tlsMode: settings.tlsMode,
      ...(settings.servername !== undefined && { servername: settings.servername }),
      region: target.region,
      username: maskKeyId(target.username),
      attempts,
      elapsedMs,
      ...(responseCode !== undefined && { responseCode }),
    };
  }
}

function checkTarget(target: SmtpProbeTarget): void {
  const problems: string[] = [];
  if (!target.host) problems.push('host is empty (expected e.g. email-smtp.eu-west-1.amazonaws.com)');
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65_535) {
    problems.push(`port ${String(target.port)} is not a port number (expected 587 or 465)`);
  }
  if (!target.username) problems.push('username is empty (expected the access key id, AKIA…)');
  if (!target.password) problems.push('password is empty (expected the SMTP password derived for the region)');
  if (problems.length > 0) {
    throw new ConfigurationError(`cannot run the SMTP probe: ${problems.join('; ')}`);
  }
}
