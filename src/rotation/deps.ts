import type { Clock, Deadline } from '../core/clock';
import type { RotationConfig } from './config';
import type { RotationEvent } from './event';
import type { GuardVerdict } from './guard';
import type {
  CredentialCopy,
  Fleet,
  Log,
  ManualConsumerRegistry,
  Notifier,
  RotationAudit,
  SecretMetadata,
  Secrets,
  SmtpProbe,
  UserKeys,
} from './ports';

export type { Log } from './ports';

/** Everything the steps need, injected: AWS adapters, the probe, the fleet, time and logging. */
export interface RotationDeps {
  readonly config: RotationConfig;
  readonly secrets: Secrets;
  readonly keys: UserKeys;
  readonly probe: SmtpProbe;
  readonly fleet: Fleet;
  readonly notifier?: Notifier;
  /** The manual-consumer registry; absent when no table is configured (then nobody is waited for). */
  readonly registry?: ManualConsumerRegistry;
  /** The Parameter Store copy of the promoted credential; absent when none is configured. */
  readonly parameterCopy?: CredentialCopy;
  readonly clock: Clock;
  readonly log: Log;
  /** Called once a rotation completed (metrics); awaited, so what it prints is out before the step returns. */
  readonly onCompleted?: (audit: RotationAudit, durationMs: number | undefined) => void | Promise<void>;
  /** Called by every retirement pass with its gauges (metrics for the alarms and the dashboard); awaited. */
  readonly onRetirementPass?: (metrics: RetirementMetrics) => void | Promise<void>;
}

/** Where the function records its metrics: Powertools in production, a recorder in the sandbox. */
export interface RotationMetrics {
  rotation(hostsUpdated: number, durationSeconds: number | undefined): void | Promise<void>;
  retirement(metrics: RetirementMetrics): void | Promise<void>;
}

/** Gauges of one retirement pass. */
export interface RetirementMetrics {
  /** 1 when an old key was used after the push confirmation, else 0. */
  readonly oldKeyInUse: number;
  /** Hours an old key has stayed active since every target confirmed (0 when none is active). */
  readonly oldKeyActiveHours: number;
  /** Hours since the last completed rotation (absent before the first). */
  readonly hoursSinceLastRotation?: number;
  /** Days the pending rotation has waited for manual consumers (absent when none is pending). */
  readonly manualConsumersWaitingDays?: number;
}

/** One step invocation after the guard. */
export interface StepContext {
  readonly event: RotationEvent;
  /** The secret's full ARN (as DescribeSecret reports it). */
  readonly secretArn: string;
  readonly verdict: GuardVerdict;
  readonly deadline: Deadline;
  /** The secret as DescribeSecret reported it at the start of the step (tags, last rotation). */
  readonly meta?: SecretMetadata;
}
