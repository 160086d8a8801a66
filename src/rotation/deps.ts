import type { AccessKeys } from '../aws/access-keys';
import type { SecretStore } from '../aws/secret-store';
import type { Clock, Deadline } from '../core/clock';
import type { RotationConfig } from './config';
import type { RotationEvent } from './event';
import type { GuardVerdict } from './guard';
import type { Fleet, Notifier, RotationAudit, SmtpProbe } from './ports';

/** Structured logging (Powertools Logger satisfies it). Attributes never carry secret values. */
export interface Log {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** Everything the steps need, injected: AWS adapters, the probe, the fleet, time and logging. */
export interface RotationDeps {
  readonly config: RotationConfig;
  readonly secrets: SecretStore;
  readonly keys: AccessKeys;
  readonly probe: SmtpProbe;
  readonly fleet: Fleet;
  readonly notifier?: Notifier;
  readonly clock: Clock;
  readonly log: Log;
  /** Called once a rotation completed (metrics). */
  readonly onCompleted?: (audit: RotationAudit, durationMs: number | undefined) => void;
}

/** One step invocation after the guard. */
export interface StepContext {
  readonly event: RotationEvent;
  /** The secret's full ARN (as DescribeSecret reports it). */
  readonly secretArn: string;
  readonly verdict: GuardVerdict;
  readonly deadline: Deadline;
}
