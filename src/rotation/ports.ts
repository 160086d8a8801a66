/**
 * The ports the rotation steps depend on. Adapters live in src/aws (Secrets Manager, IAM, SSM fleet, SNS),
 * src/smtp (the probe) and src/sandbox (offline fakes, behind the same adapters); the steps see only these
 * interfaces. The errors a fleet reports are in fleet-errors.ts.
 */
import type { Deadline } from '../core/clock';
import type { SmtpCredential } from '../core/secret';
import type { ManualConfirmation, ManualConsumer, ManualWaitState } from '../core/manual-consumer';

/** What the SMTP probe authenticates with. */
export interface SmtpProbeTarget {
  /** SMTP host, e.g. `email-smtp.eu-west-1.amazonaws.com` or a VPC endpoint DNS name. */
  readonly host: string;
  readonly port: number;
  /** Region the password was derived for (used in error hints). */
  readonly region: string;
  /** Access key id (SMTP user name). */
  readonly username: string;
  /** SMTP password. Never logged, never put in an error message. */
  readonly password: string;
}

/** A successful authentication. */
export interface ProbeReport {
  readonly attempts: number;
  readonly elapsedMs: number;
}

/**
 * Proves that a credential authenticates (SMTP AUTH, no mail sent). Retries "not accepted yet" replies of a
 * brand-new key until the deadline; throws an explained error otherwise.
 */
export interface SmtpProbe {
  authenticate(target: SmtpProbeTarget, deadline: Deadline): Promise<ProbeReport>;
}

/** What the hosts need to fetch the credential themselves: never the password. */
export interface PushRequest {
  readonly secretArn: string;
  /** The version id (= ClientRequestToken) the hosts fetch. */
  readonly versionId: string;
  /** The command's identity when it is not the rotation's push of `versionId` (an abandon). @default the version's */
  readonly comment?: string;
  /** Commands sent at or before this time are not resumed nor reused: a new command is sent. @default none */
  readonly newerThan?: Date;
}

/** The proof that every targeted host confirmed a version. */
export interface PushReport {
  readonly commandId: string;
  /** Hosts targeted by the command that confirmed (all of them, on success). */
  readonly hostsUpdated: number;
}

/**
 * Delivers a credential version to every targeted host and waits until all confirmed. Resumable: a second call
 * for the same version finds the earlier command and keeps waiting on it; it never starts a second concurrent
 * push for one version. Throws when a host failed, when nothing matched, or when the deadline is reached first.
 */
export interface Fleet {
  deliver(request: PushRequest, deadline: Deadline): Promise<PushReport>;
}

/** The audit summary of a completed rotation (I8): version ↔ command ↔ hosts ↔ keys. */
export interface RotationAudit {
  readonly secretArn: string;
  readonly versionId: string;
  readonly previousVersionId?: string;
  /** Masked access key ids. */
  readonly newKeyId: string;
  readonly retiredKeyIds: readonly string[];
  /** Masked ids of old keys left active for the staged retirement (deactivated and deleted by the hourly pass). */
  readonly retiringKeyIds?: readonly string[];
  /** How the old keys are retired: at once (`immediate`, `emergency`) or in stages (`staged`). */
  readonly retirement?: 'immediate' | 'staged' | 'emergency';
  readonly commandId: string;
  readonly hostsUpdated: number;
  readonly region: string;
  readonly endpoint: string;
  /** The additional regions the version holds a password for (never the password). @default none */
  readonly additionalRegions?: readonly { readonly region: string; readonly endpoint: string }[];
  readonly completedAt: string;
  /** Manual consumers that confirmed this version before it was promoted (absent with an empty registry). */
  readonly manualConsumers?: readonly ManualConfirmation[];
}

/** Something the retirement of an old key did or found (an SNS alert in AWS). Never a secret value. */
export interface RetirementNotice {
  readonly secretArn: string;
  /** `old-key-in-use`: held; the others name an action taken on the key. */
  readonly event: 'old-key-in-use' | 'deactivated' | 'deleted' | 'reactivated' | 'resumed';
  /** Masked key id. */
  readonly keyId: string;
  /** One line: what happened. */
  readonly summary: string;
  /** Further lines: when and where it was used, what to do. */
  readonly details: readonly string[];
}

/**
 * A request to the people behind manual consumers (an SNS message in AWS): `requested` once per rotation,
 * `reminder` daily while someone is pending, `overdue` once after the alarm threshold. Never the credential.
 */
export interface ManualConsumersNotice {
  readonly secretArn: string;
  readonly versionId: string;
  readonly kind: 'requested' | 'reminder' | 'overdue';
  readonly pending: readonly ManualConsumer[];
  readonly confirmed: readonly ManualConfirmation[];
  readonly waitingSince: string;
  /** The exact steps, one per line (the same lines the CLI prints). */
  readonly steps: readonly string[];
}

/**
 * The registry of manual consumers as the function uses it (DynamoDB in AWS). Reads are strongly consistent: a
 * confirmation written a moment ago must count. Every write is conditional and idempotent.
 */
export interface ManualConsumerRegistry {
  /** Every registered consumer of the secret (all pages). */
  consumers(secretArn: string): Promise<ManualConsumer[]>;
  /** The confirmations recorded for exactly this version. */
  confirmations(secretArn: string, versionId: string): Promise<ManualConfirmation[]>;
  /** The wait state of one version, if the function recorded one. */
  waitState(secretArn: string, versionId: string): Promise<ManualWaitState | undefined>;
  /** Records that the function waits on this version (first call wins; later calls return the stored state). */
  startWait(secretArn: string, versionId: string, at: Date): Promise<ManualWaitState>;
  /**
   * Sets one timestamp of the wait state if it still has `expected` (undefined = not set): the compare-and-set that
   * keeps two concurrent invocations from both sending a reminder. Returns false when another one won.
   */
  markWait(
    secretArn: string,
    versionId: string,
    field: 'notifiedAt' | 'lastReminderAt' | 'overdueAt',
    at: Date,
    expected: string | undefined,
  ): Promise<boolean>;
}

/** Tells people that a rotation completed (SNS in AWS; a list in the sandbox). */
export interface Notifier {
  rotationSucceeded(audit: RotationAudit): Promise<void>;
  /** An action on, or an alert about, the old key during its retirement. */
  retirement?(notice: RetirementNotice): Promise<void>;
  /** Asks, reminds or alerts the people behind manual consumers. */
  manualConsumers?(notice: ManualConsumersNotice): Promise<void>;
}

/** Structured logging (Powertools Logger satisfies it). Attributes never carry secret values. */
export interface Log {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** Staging labels and rotation state of a secret. */
export interface SecretMetadata {
  readonly arn: string;
  readonly rotationEnabled: boolean;
  /** The rotation function attached to the secret, if any: what the CLI reads the retirement policy from. */
  readonly rotationLambdaArn?: string;
  /** Version id → staging labels (versions without labels are omitted). */
  readonly versionStages: Readonly<Record<string, readonly string[]>>;
  /** When the last rotation completed successfully (after its finishSecret returned); absent if never. */
  readonly lastRotatedDate?: Date;
  /** The secret's tags (key → value). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** One version's value (undefined value = the version exists but holds nothing yet). */
export interface SecretVersionValue {
  readonly versionId: string;
  readonly secretString: string;
  readonly createdDate?: Date;
}

/** The secret's versions, staging labels and tags (Secrets Manager). */
export interface Secrets {
  describe(secretId: string): Promise<SecretMetadata>;
  /** A version by id and/or stage; undefined when the version holds no value yet. */
  value(secretId: string, selector: { versionId?: string; stage?: string }): Promise<SecretVersionValue | undefined>;
  /** Stores the pending value under AWSPENDING (idempotent for the same token and value). */
  putPending(secretId: string, token: string, secretString: string, rotationToken?: string): Promise<void>;
  /** Moves AWSCURRENT to `token` (AWSPREVIOUS follows). */
  promote(secretId: string, token: string, currentVersionId: string | undefined): Promise<void>;
  /**
   * Asks Secrets Manager to re-attempt the unfinished rotation (RotateSecret). True when it was unfinished and is
   * re-attempted; false when none was unfinished and a new rotation started instead.
   */
  reattempt(secretId: string): Promise<boolean>;
  tag(secretId: string, key: string, value: string): Promise<void>;
  untag(secretId: string, key: string): Promise<void>;
}

/** What IAM reports about one access key. */
export interface AccessKeyInfo {
  readonly id: string;
  /** Active, Inactive or Expired: every status counts toward the two-key limit. */
  readonly status: string;
  readonly created: Date;
}

/** A freshly minted key: the only moment its secret half is readable. */
export interface MintedKey {
  readonly id: string;
  readonly secretAccessKey: string;
}

/** The SES user's access keys (IAM). */
export interface UserKeys {
  list(userName: string): Promise<AccessKeyInfo[]>;
  lastUsed(accessKeyId: string): Promise<Date | undefined>;
  lastUse(accessKeyId: string): Promise<{ date: Date; service?: string; region?: string } | undefined>;
  setStatus(userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void>;
  create(userName: string): Promise<MintedKey>;
  delete(userName: string, accessKeyId: string): Promise<void>;
}

/** What one copy of the promoted credential did. */
export type CopyResult = 'written' | 'unchanged' | 'newer-present';

/**
 * A copy of the promoted credential for consumers that read another store (Parameter Store in AWS). Idempotent,
 * and never an older version over a newer one.
 */
export interface CredentialCopy {
  /** Where the copy goes (for the log line), e.g. the parameter name. */
  readonly name: string;
  write(credential: SmtpCredential, version: { versionId: string; createdDate?: Date }): Promise<CopyResult>;
}
