import { smtpEndpoint } from '../core/endpoint';
import type { RetirementMetrics } from '../rotation/deps';
import type { SmtpProbe } from '../rotation/ports';
import { CallRecorder } from './call-recorder';
import { hostAgent } from './host-agent';
import { makeHosts, type FakeHost } from './fake-fleet-hosts';
import { FakeCloudWatchLogs } from './fake-cloudwatch-logs';
import { FakeDynamoDb } from './fake-dynamodb';
import { FakeParameterStore } from './fake-parameter-store';
import { FakeIam } from './fake-iam';
import { FakeLambda } from './fake-lambda';
import { FakeSecretsManager } from './fake-secrets-manager';
import { FakeSsm } from './fake-ssm';
import { SandboxManualConsumers } from './manual-consumers';
import { FakeSsmInventory } from './fake-ssm-inventory';
import { DEFAULT_FAKE_DOCUMENT } from './fake-ssm-validation';
import { SandboxSesProbe } from './sandbox-probe';
import { VirtualClock } from './virtual-clock';
import type { CapturedLog, HostCredential, SandboxOptions } from './account-options';
import { wireAccount, type AccountWirings } from './account-wiring';

export type { CapturedLog, HostCredential, SandboxOptions } from './account-options';

const TAG_KEY = 'Role';
const TAG_VALUE = 'smtp-relay';

/**
 * An offline AWS account for tests, the crash-injection suite, the benchmarks and the demo: stateful fakes of
 * Secrets Manager, IAM and SSM behind the real SDK clients (the SDK's own middleware stack answers from the fakes), a fleet of simulated relays that
 * fetch the secret by version id and verify it against "SES" like the real documents do, and captured logs and
 * notifications. Call {@link restore} when done.
 */
export class SandboxAccount {
  readonly clock = new VirtualClock();
  readonly recorder = new CallRecorder();
  readonly region: string;
  readonly userName: string;
  readonly secrets: FakeSecretsManager;
  readonly iam: FakeIam;
  readonly ssm: FakeSsm;
  /** SSM inventory (DescribeInstanceInformation, DescribeDocument) over {@link hosts}, for `preflight`. */
  readonly inventory: FakeSsmInventory;
  /** The rotation function's configuration (GetFunctionConfiguration), for `status` and `preflight`. */
  readonly lambda: FakeLambda;
  /** CloudWatch Logs: the function's log group receives every line the handler logs through {@link log}. */
  readonly cloudWatchLogs: FakeCloudWatchLogs;
  readonly hosts: FakeHost[];
  /** What each host has configured, by instance id. */
  readonly installed = new Map<string, HostCredential>();
  readonly logs: CapturedLog[] = [];
  readonly notifications: { subject?: string; message: string }[] = [];
  /** Metrics the handler recorded (HostsUpdated, RotationDurationSeconds). */
  readonly metrics: { hostsUpdated: number; durationSeconds?: number }[] = [];
  /** Gauges every retirement pass recorded (OldKeyInUse, OldKeyActiveHours, HoursSinceLastRotation). */
  readonly retirementMetrics: RetirementMetrics[] = [];
  readonly retirement: 'immediate' | 'staged';
  /** Violations of invariant I4 seen at the moment AWSCURRENT moved. */
  readonly promotionViolations: string[] = [];
  readonly endpoint: string;
  readonly port: number;
  /** The disaster-recovery region and the host its relays use, when configured. */
  readonly additionalRegion?: { readonly region: string; readonly endpoint: string };
  /** What routes each client class to its fake; {@link restore} undoes them. Calls are in {@link recorder}. */
  private readonly wirings: AccountWirings;
  /** DynamoDB: the manual-consumer registry table (when {@link SandboxOptions.registry}). */
  readonly dynamodb = new FakeDynamoDb();
  /** The registry table's name, when the account has one. */
  readonly registryTable?: string;
  /** Parameter Store (the optional copy of the promoted credential). */
  readonly parameters = new FakeParameterStore();
  /** The systems staff change by hand (issue 14), registered in {@link dynamodb}. */
  readonly manual: SandboxManualConsumers;
  /** The principal STS GetCallerIdentity reports (tests and the demo switch it to confirm as someone else). */
  callerArn = 'arn:aws:iam::111122223333:user/operator';

  constructor(options: SandboxOptions = {}) {
    this.region = options.region ?? 'eu-west-1';
    this.userName = options.userName ?? 'ses-smtp-sender';
    this.endpoint = options.endpoint ?? smtpEndpoint(this.region);
    this.port = options.port ?? 587;
    this.retirement = options.retirement ?? 'immediate';
    if (options.additionalRegion !== undefined) {
      this.additionalRegion = { region: options.additionalRegion, endpoint: smtpEndpoint(options.additionalRegion) };
    }
    if (options.registry) {
      // CloudFormation names it (no fixed name): the sandbox mimics a generated name.
      this.registryTable = 'SesSmtpRotation-ManualConsumers1A2B3C4D-5E6F7G8H';
      this.dynamodb.createTable(this.registryTable);
    }
    this.iam = new FakeIam(this.clock);

    this.iam.addUser(this.userName);
    const initialValue =
      options.initialSecret === 'settings'
        ? JSON.stringify({ region: this.region, endpoint: this.endpoint, port: this.port, iamUserName: this.userName })
        : undefined;
    this.secrets = new FakeSecretsManager(this.clock, {
      region: this.region,
      rotationLambdaArn: `arn:aws:lambda:${this.region}:111122223333:function:ses-smtp-rotation`,
      ...(initialValue ? { initialValue } : {}),
      ...(options.autoCurrentOnFirstValue ? { autoCurrentOnFirstValue: true } : {}),
    });
    this.manual = new SandboxManualConsumers({
      dynamodb: this.dynamodb,
      iam: this.iam,
      secrets: this.secrets,
      table: () => this.registryTable,
      now: () => this.clock.now(),
      region: this.region,
      // A system changed by hand starts out on the same key as the relays.
      relayCredential: () => (this.hosts[0] ? this.installed.get(this.hosts[0].instanceId) : undefined),
    });
    this.hosts = makeHosts(options.hosts ?? 3, {
      platforms: options.platforms ?? 'mixed',
      tags: { [TAG_KEY]: TAG_VALUE },
      ...(options.hostDurationMs !== undefined ? { durationMs: options.hostDurationMs } : {}),
    });
    this.hosts.forEach((host, index) => {
      if (this.additionalRegion && index % 2 === 1) host.relayHost = this.additionalRegion.endpoint;
    });
    this.ssm = new FakeSsm({ clock: this.clock, hosts: this.hosts, runOnHost: hostAgent(this) });
    this.inventory = new FakeSsmInventory(() => this.hosts);
    // A construct-made log group, as LoggingConfig names it (not Lambda's /aws/lambda/<name> default).
    this.lambda = new FakeLambda(
      this.secrets.rotationLambdaArn ?? '',
      () => this.env(),
      'SesSmtpRotation-FunctionLogs',
    );
    this.cloudWatchLogs = new FakeCloudWatchLogs(this.clock);
    this.cloudWatchLogs.createLogGroup(this.lambda.logGroup);
    if (options.adoptConsoleKey ?? true) this.adoptConsoleKey();
    this.secrets.onUpdateVersionStage((input) => {
      if (input.VersionStage === 'AWSCURRENT' && input.MoveToVersionId) {
        this.checkHostsHold(input.MoveToVersionId);
        this.promotionViolations.push(...this.manual.promotionViolations(input.MoveToVersionId));
      }
    });
    this.wirings = wireAccount(this);
  }

  /**
   * The rotation Lambda's environment for this account: the defaults, then {@link FakeLambda.overrides} (one
   * function configuration for the handler the driver runs and for what GetFunctionConfiguration shows), then
   * `overrides`.
   */
  env(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      SES_IAM_USER_NAME: this.userName,
      SES_REGION: this.region,
      SMTP_ENDPOINT: this.endpoint,
      SMTP_PORT: String(this.port),
      EXPECTED_SECRET_ARN: this.secrets.arn,
      FLEET_DOCUMENT_NAME: DEFAULT_FAKE_DOCUMENT,
      FLEET_TARGET_TAGS: `${TAG_KEY}=${TAG_VALUE}`,
      FLEET_POLL_INTERVAL_SECONDS: '5',
      NOTIFICATION_TOPIC_ARN: `arn:aws:sns:${this.region}:111122223333:ses-smtp-rotation`,
      RETIREMENT_POLICY: this.retirement,
      ...(this.additionalRegion && { SES_ADDITIONAL_REGIONS: this.additionalRegion.region }),
      ...(this.registryTable ? { MANUAL_CONSUMERS_TABLE: this.registryTable } : {}),
      ...this.lambda?.overrides,
      ...overrides,
    };
  }

  /** An in-memory SES check for the probe (the demo uses a real SMTP server instead). */
  sesProbe(): SmtpProbe {
    return new SandboxSesProbe(this.iam, this.clock);
  }

  /**
   * A log sink that captures structured lines, and writes each to the function's log group as Powertools prints
   * it (one JSON object: level, message, timestamp, service, the secret ARN, then the line's attributes, which
   * carry the handler's step and versionId), so the CLI reads the function's own lines from CloudWatch Logs.
   */
  log() {
    const push = (level: CapturedLog['level']) => (message: string, attributes?: Record<string, unknown>) => {
      this.logs.push({ level, message, ...(attributes ? { attributes } : {}) });
      const line = {
        level: level.toUpperCase(),
        message,
        timestamp: new Date(this.clock.now()).toISOString(),
        service: 'ses-smtp-rotation',
        secretArn: this.secrets.arn,
        ...attributes,
      };
      this.cloudWatchLogs.put(this.lambda.logGroup, '2025/01/01/[$LATEST]sandbox', JSON.stringify(line));
    };
    return { info: push('info'), warn: push('warn'), error: push('error') };
  }

  /** Whether a host's configured credential authenticates now (I1), without recording a use. */
  hostCanSend(instanceId: string): boolean {
    return this.iam.holdsWorkingKey(this.installed.get(instanceId));
  }

  /** Every secret value this account ever produced: secret access keys and their SMTP passwords. */
  secretValues(): string[] {
    const regions = [this.region, ...(this.additionalRegion ? [this.additionalRegion.region] : [])];
    return this.iam.everMinted.flatMap((k) => [k.secret, ...regions.map((r) => this.iam.smtpPassword(k, r))]);
  }

  restore(): void {
    for (const wiring of Object.values(this.wirings)) wiring.restore();
  }

  /** Day one: a key made in the console, configured on every host, used for months. */
  private adoptConsoleKey(): void {
    const consoleKey = this.iam.addKey(this.userName, {
      created: new Date(this.clock.now() - 200 * 86_400_000),
      lastUsed: new Date(this.clock.now() - 3_600_000),
    });
    for (const host of this.hosts) {
      const dr = host.relayHost !== undefined ? this.additionalRegion : undefined;
      const region = dr?.region ?? this.region;
      this.installed.set(host.instanceId, {
        username: consoleKey.id,
        password: this.iam.smtpPassword(consoleKey, region),
        region,
        endpoint: dr?.endpoint ?? this.endpoint,
        port: this.port,
        iamUserName: this.userName,
      });
    }
  }

  private checkHostsHold(versionId: string): void {
    for (const host of this.hosts) {
      if (this.installed.get(host.instanceId)?.versionId !== versionId) {
        this.promotionViolations.push(`AWSCURRENT moved to ${versionId} while ${host.instanceId} did not hold it`);
      }
    }
  }
}
