import type { ManualConsumersOptions } from './manual-consumers';
import type { ParameterStoreOptions } from './parameter-copy';
import type { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';

/** What the SES sending user may send as (`ses:SendRawEmail` resources). */
export interface SendingScope {
  /** Verified SES identities (domains or addresses) the relays send from, e.g. `example.com`. At least one. */
  readonly identities: readonly string[];
  /**
   * Configuration set the relays use. When set, the user is granted the identities AND the configuration set
   * (a configuration-set-only grant is not known to be sufficient).
   */
  readonly configurationSet?: string;
}

/** Which hosts the fleet push updates, and how fast (the canary). */
export interface FleetTargeting {
  /**
   * Tags that select the relays: values within a key are ORed, several keys are ANDed (as SSM does). The rotation
   * role may only run the document on nodes carrying these tags (`ssm:resourceTag` conditions).
   */
  readonly tags?: Readonly<Record<string, readonly string[]>>;
  /** Explicit EC2 (`i-…`) or hybrid (`mi-…`) node ids, at most 50. Not combinable with {@link tags}. */
  readonly instanceIds?: readonly string[];
  /** SSM MaxConcurrency: hosts updated at once, e.g. `1` or `10%`. Default `10%`. */
  readonly maxConcurrency?: string;
  /** SSM MaxErrors: failed hosts tolerated before the rollout stops. Default `0` (stop at the first failure). */
  readonly maxErrors?: string;
  /** How long a host may take to pick up the command before it counts as Delivery Timed Out. Default 10 min. */
  readonly deliveryTimeout?: Duration;
  /** Time between status polls. Default 5 s. */
  readonly pollInterval?: Duration;
}

/** When automatic rotations happen. */
export interface RotationScheduleOptions {
  /**
   * Secrets Manager schedule expression, UTC: `cron(0 H D M DOW *)` or `rate(N days)`. Default
   * `cron(0 3 1 1/3 ? *)`: quarterly (every 90–92 days), 1st of January/April/July/October, window opening 03:00 UTC.
   */
  readonly expression?: string;
  /** Window length, e.g. `3h`; the rotation starts at a random time inside it. Default `3h`. */
  readonly window?: string;
  /**
   * Rotate as soon as the schedule is created or changed. Default true: the first key is minted by the rotation,
   * never by CloudFormation.
   */
  readonly rotateImmediatelyOnUpdate?: boolean;
}

/** Running the rotation Lambda inside a VPC. It still needs a route to SES SMTP, IAM, SSM, Secrets Manager, SNS. */
export interface VpcPlacement {
  readonly vpc: ec2.IVpc;
  /** Subnets for the function's network interfaces. Default: the VPC's private subnets. */
  readonly subnets?: ec2.SubnetSelection;
  /** Own security groups. Default: one created here that allows only SMTP egress and HTTPS egress. */
  readonly securityGroups?: readonly ec2.ISecurityGroup[];
  /** Where HTTPS to the AWS APIs may go (e.g. the VPC CIDR when interface endpoints are used). Default any IPv4. */
  readonly awsApiPeer?: ec2.IPeer;
  /** Where SMTP may go (e.g. the SES SMTP interface endpoint's subnet). Default any IPv4. */
  readonly smtpPeer?: ec2.IPeer;
}

/** Who hears about rotations. */
export interface NotificationOptions {
  /** E-mail addresses subscribed to the topic created here (each must confirm the subscription). */
  readonly emails?: readonly string[];
  /**
   * An existing topic instead of creating one. Its policy must let EventBridge and CloudWatch publish; see
   * the README section "Deploying".
   */
  readonly topic?: sns.ITopic;
  /** The KMS key of {@link topic}, when it is encrypted: the function gets permission to use it for publishing. */
  readonly topicKey?: kms.IKey;
}

/** Timing knobs of the rotation Lambda (all optional; defaults suit most fleets). */
export interface TimingOptions {
  /** Time kept free before the 15-minute Lambda timeout so a step can fail cleanly. Default 30 s. */
  readonly safetyMargin?: Duration;
  /** Upper bound for testSecret's wait until SES accepts a new key. Default 150 s. */
  readonly probeMaxWait?: Duration;
}

/** How the old key is retired after every relay confirmed the new one (see the README, "How a rotation works"). */
export interface RetirementOptions {
  /**
   * `staged`: the old key stays active, is deactivated after {@link deactivateAfter} and deleted
   * {@link deleteAfter} later by an hourly pass. `immediate`: deleted at promotion. Default `staged`.
   */
  readonly policy?: 'immediate' | 'staged';
  /** Time after every relay confirmed before the old key is deactivated. Default 24 hours. */
  readonly deactivateAfter?: Duration;
  /** Time after deactivation before the old key is deleted. Default 7 days. */
  readonly deleteAfter?: Duration;
  /** `hold`: an old key used after the push confirmation is not retired (alert instead). Default `hold`. */
  readonly inUse?: 'hold' | 'proceed';
}

/** Properties of {@link SesSmtpRotation}. */
export interface SesSmtpRotationProps {
  /** What the SES user may send as. */
  readonly sending: SendingScope;
  /** Which relays get the credential. */
  readonly fleet: FleetTargeting;
  /** SES region the SMTP password is derived for. Default: the stack's region. */
  readonly sesRegion?: string;
  /**
   * Additional SES regions (a disaster-recovery region): the same key gets one SMTP password per region, stored
   * under the secret's `additionalRegions` and proven in testSecret before any relay gets it; the SES user may
   * send in each. Each region's relays use its regional host (`email-smtp[-fips].<region>.amazonaws.com`).
   * Validated at synth with the function's own rules.
   * @default none (single region)
   * @throws ConfigurationError at synth for the primary region, a region twice, a region without an SMTP
   *   endpoint, a combination with {@link smtpTlsServername}, or more regions than testSecret can prove within
   *   the function's timeout
   */
  readonly additionalSesRegions?: readonly string[];
  /** SMTP port the relays use: 587 (STARTTLS, default) or 465 (implicit TLS). */
  readonly smtpPort?: number;
  /** Use the FIPS SMTP host (`email-smtp-fips.<region>.amazonaws.com`). Default false. */
  readonly fips?: boolean;
  /** Explicit SMTP host (e.g. a VPC endpoint DNS name). Default: the regional SES SMTP host. */
  readonly smtpEndpoint?: string;
  /** TLS server name to verify when {@link smtpEndpoint} is a VPC endpoint name. Default: the endpoint itself. */
  readonly smtpTlsServername?: string;
  /**
   * Extra CA certificate(s), PEM, that the SMTP check (testSecret) trusts besides the public roots: the root of a
   * TLS-inspecting proxy or of a private endpoint. Only certificates (never a key); checked at synth. It travels in
   * the function's environment (`SMTP_TRUSTED_CA_PEM`), where Lambda allows 4 KB for all variables together: give
   * the one CA that signs the endpoint, not a bundle. Default: public roots only.
   */
  readonly smtpTrustedCaPem?: string;
  /** Automatic rotation schedule. */
  readonly schedule?: RotationScheduleOptions;
  /** Customer managed key for the secret. Default: the AWS managed key `aws/secretsmanager`. */
  readonly encryptionKey?: kms.IKey;
  /** Run the function in a VPC. Default: no VPC. */
  readonly vpc?: VpcPlacement;
  /** Notification e-mail addresses or an existing topic. */
  readonly notifications?: NotificationOptions;
  /** ARNs of the relays' IAM roles (instance profiles, hybrid activation roles) allowed to read the secret. */
  readonly hostRoleArns?: readonly string[];
  /** Directory whose `*.json` files are SSM Command documents. Default: `ssm-documents/` of this repository. */
  readonly documentsDirectory?: string;
  /** File name (in {@link documentsDirectory}) of the document the push runs. Default: the only document. */
  readonly fleetDocument?: string;
  /** Lambda code. Default: `src/handler.ts` bundled by `scripts/bundle.mjs` at synth time. */
  readonly code?: lambda.Code;
  /** Retention of the function's and the command output's log groups. Default one year. */
  readonly logRetention?: logs.RetentionDays;
  /** Powertools service name (log field `service`, metric dimension). Default: unique per construct. */
  readonly serviceName?: string;
  /** Powertools metrics namespace. Default `SesSmtpRotation`. */
  readonly metricsNamespace?: string;
  /**
   * Console folder of the saved Logs Insights queries (`queries.folder`). The release template names it after the
   * stack, so that copies of one template list apart. Default `ses-smtp-rotation/<the construct's unique name>`.
   */
  readonly queriesFolder?: string;
  /** Permissions boundary for the function's role and the SES user (often required in regulated accounts). */
  readonly permissionsBoundary?: iam.IManagedPolicy;
  /** Timing knobs. */
  readonly timing?: TimingOptions;
  /**
   * Retirement of the old key. Validated at synth: both windows must end well before the next scheduled rotation.
   * @default staged, 24 h, 7 days, hold
   */
  readonly retirement?: RetirementOptions;
  /**
   * Systems the SSM push cannot reach, changed by hand and confirmed (`consumers`, `confirm`): creates the
   * registry table and its alarm. While one of them has not confirmed a rotation, it is not promoted.
   * @default none: no table, rotations wait for the SSM targets only
   */
  readonly manualConsumers?: ManualConsumersOptions;
  /**
   * After each promotion, the function copies the credential to this SecureString parameter (idempotent; never an
   * older version over a newer one). Readers: `rotation.parameterStore.grantRead(role)`.
   * @default none
   */
  readonly parameterStore?: ParameterStoreOptions;
}
