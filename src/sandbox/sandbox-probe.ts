import type { Clock, Deadline } from '../core/clock';
import { SesSmtpRotationError } from '../core/errors';
import { maskKeyId } from '../core/mask';
import type { ProbeReport, SmtpProbe, SmtpProbeTarget } from '../rotation/ports';
import type { FakeIam } from './fake-iam';

/** The in-memory SES endpoint rejected a credential. */
export class SandboxAuthRejectedError extends SesSmtpRotationError {}

/**
 * An in-memory stand-in for SES SMTP AUTH, for the crash-injection suite and benchmarks where thousands of
 * rotations run: it accepts exactly the SigV4 passwords of the user's active keys (the FakeIam check). The real
 * probe is exercised against a real SMTP server in its own tests and in the demo.
 */
export class SandboxSesProbe implements SmtpProbe {
  readonly attempts: { username: string; accepted: boolean }[] = [];

  constructor(
    private readonly iam: FakeIam,
    private readonly clock: Clock,
  ) {}

  async authenticate(target: SmtpProbeTarget, _deadline: Deadline): Promise<ProbeReport> {
    const started = this.clock.now();
    const accepted = this.iam.authenticateSmtp(target.username, target.password, target.region);
    this.attempts.push({ username: target.username, accepted });
    if (!accepted) {
      throw new SandboxAuthRejectedError(
        `535 Authentication Credentials Invalid from ${target.host}:${target.port} for ${maskKeyId(target.username)}`,
      );
    }
    return { attempts: 1, elapsedMs: this.clock.now() - started };
  }
}
