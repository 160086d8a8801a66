/**
 * The SMTP AUTH probe of testSecret and its helpers. See the README section "The SMTP check" for the operator view.
 */
import type { SmtpProbe } from '../rotation/ports';
import { NodemailerSmtpProbe, type SmtpProbeOptions } from './probe';

export { NodemailerSmtpProbe, type RetryEvent, type SmtpProbeOptions } from './probe';
export * from './errors';
export { classifyFailure, isRetryable, type Failure, type FailureKind } from './classify';
export { passwordShape, type PasswordShape } from './explain';
export { selectSmtpEndpoint, type EndpointRequest, type SelectedEndpoint } from './endpoint-selection';
export { backoffDelay, DEFAULT_BACKOFF, DEFAULT_TIMEOUTS, type BackoffPolicy, type ProbeTimeouts } from './settings';

/**
 * Creates the production SMTP probe: real TLS with verification, STARTTLS required on non-wrapper ports, fresh
 * connection per attempt, bounded backoff on 535/454.
 * @throws ConfigurationError on invalid options
 */
export function createSmtpProbe(options: SmtpProbeOptions = {}): SmtpProbe {
  return new NodemailerSmtpProbe(options);
}
