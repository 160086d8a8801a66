import { DEFAULT_SMTP_PORT, assertHostMatchesRegion, smtpEndpoint } from '../core/endpoint';
import { ConfigurationError } from '../core/errors';
import { IAM_USER_NAME, readTagTargets, TAG_TARGETS_FORMAT, type TagTarget } from '../core/grammar';
import { parseRegion } from '../core/regions';
import {
  LAMBDA_ENVIRONMENT_LIMIT_BYTES,
  lambdaEnvironmentBytes,
  readTrustedCa,
  type TrustedCaBundle,
} from '../core/trusted-ca';
import type { AdditionalRegion } from '../core/additional-regions';
import { ADDITIONAL_REGIONS_ENV, loadAdditionalRegions } from './config-regions';
import { RETIREMENT_ENV, loadRetirementPolicy, type RetirementPolicy } from './retirement-policy';

export type { TagTarget } from '../core/grammar';

/** How the fleet push finds and updates the hosts. */
export interface FleetConfig {
  /** SSM document name or ARN. */
  readonly documentName: string;
  readonly tagTargets: readonly TagTarget[];
  /** Explicit EC2 (`i-`) or hybrid (`mi-`) node ids. */
  readonly instanceIds: readonly string[];
  /** SSM MaxConcurrency (canary: a small number or percentage). */
  readonly maxConcurrency: string;
  /** SSM MaxErrors: `0` stops the rollout at the first failing host. */
  readonly maxErrors: string;
  /** SSM delivery timeout: a host that has not started by then ends as Delivery Timed Out. */
  readonly deliveryTimeoutSeconds: number;
  /** CloudWatch log group for command output (optional). */
  readonly outputLogGroup?: string;
  /** Seconds between ListCommands polls. */
  readonly pollIntervalSeconds: number;
}

/** Everything the rotation Lambda is configured with, validated once at start. */
export interface RotationConfig {
  readonly iamUserName: string;
  readonly region: string;
  readonly regionWarning?: string;
  readonly endpoint: string;
  readonly port: number;
  /**
   * Additional (disaster-recovery) SES regions: the same key gets a password for each, proven before the push.
   * @default none (a single-region configuration behaves exactly as before)
   */
  readonly additionalRegions?: readonly AdditionalRegion[];
  /** Name to verify the endpoint's certificate against (VPC endpoint DNS names); default the host. */
  readonly tlsServername?: string;
  /**
   * Extra CA certificates the SMTP check trusts besides the public roots: a TLS-inspecting proxy or a private
   * endpoint. Well-formed and normalised (certificate blocks only); their validity period is checked only by the
   * steps that need the SMTP check (see readiness.ts), so an expired CA does not stop the retirement pass.
   */
  readonly trustedCa?: TrustedCaBundle;
  /** When set, any other SecretId is refused (confused-deputy guard). */
  readonly expectedSecretArn?: string;
  readonly fleet: FleetConfig;
  /** SNS topic for success notifications with the audit summary. */
  readonly notificationTopicArn?: string;
  /** Milliseconds kept free before the Lambda timeout so a step can fail cleanly. */
  readonly safetyMarginMs: number;
  /** Upper bound for testSecret's wait for a new key to be accepted. */
  readonly probeMaxWaitMs: number;
  /** How the old key is retired after every target confirmed (`RETIREMENT_*` variables). */
  readonly retirement: RetirementPolicy;
  /** The manual-consumer registry (issue 14); absent = no table, nobody is waited for. */
  readonly manualConsumers?: ManualConsumersConfig;
  /** The Parameter Store copy of the promoted credential; absent = none. */
  readonly parameterCopy?: { readonly name: string; readonly kmsKeyId?: string };
}

/** Where the manual consumers are registered and when their wait becomes an alarm. */
export interface ManualConsumersConfig {
  /** DynamoDB table name (the construct's generated name). */
  readonly tableName: string;
  /** Days a rotation may wait for manual consumers before the overdue alert. @default 7 */
  readonly alarmAfterDays: number;
}

/** The environment variables of the rotation Lambda (the CDK construct sets them). */
export const ENV = {
  iamUserName: 'SES_IAM_USER_NAME',
  region: 'SES_REGION',
  additionalRegions: ADDITIONAL_REGIONS_ENV,
  endpoint: 'SMTP_ENDPOINT',
  fips: 'SMTP_FIPS',
  port: 'SMTP_PORT',
  tlsServername: 'SMTP_TLS_SERVERNAME',
  trustedCaPem: 'SMTP_TRUSTED_CA_PEM',
  expectedSecretArn: 'EXPECTED_SECRET_ARN',
  documentName: 'FLEET_DOCUMENT_NAME',
  tagTargets: 'FLEET_TARGET_TAGS',
  instanceIds: 'FLEET_INSTANCE_IDS',
  maxConcurrency: 'FLEET_MAX_CONCURRENCY',
  maxErrors: 'FLEET_MAX_ERRORS',
  deliveryTimeoutSeconds: 'FLEET_DELIVERY_TIMEOUT_SECONDS',
  outputLogGroup: 'FLEET_OUTPUT_LOG_GROUP',
  pollIntervalSeconds: 'FLEET_POLL_INTERVAL_SECONDS',
  notificationTopicArn: 'NOTIFICATION_TOPIC_ARN',
  safetyMarginSeconds: 'SAFETY_MARGIN_SECONDS',
  probeMaxWaitSeconds: 'PROBE_MAX_WAIT_SECONDS',
  retirementPolicy: RETIREMENT_ENV.mode,
  retirementDeactivateAfter: RETIREMENT_ENV.deactivateAfter,
  retirementDeleteAfter: RETIREMENT_ENV.deleteAfter,
  retirementInUse: RETIREMENT_ENV.inUse,
  manualConsumersTable: 'MANUAL_CONSUMERS_TABLE',
  manualConsumersAlarmAfterDays: 'MANUAL_CONSUMERS_ALARM_AFTER_DAYS',
  parameterStoreName: 'PARAMETER_STORE_NAME',
  parameterStoreKmsKeyId: 'PARAMETER_STORE_KMS_KEY_ID',
} as const;

/** A Parameter Store name the copy may use (not under the reserved aws / ssm prefixes). */
export function isParameterName(name: string): boolean {
  return /^(\/[a-zA-Z0-9_.-]+)+$|^[a-zA-Z0-9_.-]+$/.test(name) && name.length <= 1011 && !/^\/?(aws|ssm)/i.test(name);
}

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

const INSTANCE_ID = /^(i-[0-9a-f]{8}([0-9a-f]{9})?|mi-[0-9a-f]{17})$/;
/** SSM MaxConcurrency / MaxErrors (exported: the release template's AllowedPattern is this same rule). */
export const MAX_CONCURRENCY = /^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/;
export const MAX_ERRORS = /^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$/;

/**
 * Reads and validates the configuration from environment variables. Every error names the variable and what it
 * should hold.
 * @throws ConfigurationError
 */
export function loadConfig(env: NodeJS.ProcessEnv): RotationConfig {
  const iamUserName = required(env, ENV.iamUserName, 'the name of the IAM user that sends through SES SMTP');
  if (!IAM_USER_NAME.test(iamUserName))
    fail(ENV.iamUserName, 'must be an IAM user name (1–64 of letters, digits, +=,.@_-)');
  const regionText = required(env, ENV.region, 'the SES region whose SMTP endpoint the hosts use, e.g. eu-west-1');
  const fips = flag(env, ENV.fips);
  let regionInfo;
  try {
    regionInfo = parseRegion(regionText, fips);
  } catch (error) {
    fail(ENV.region, (error as Error).message);
  }
  const endpoint = optional(env, ENV.endpoint) ?? smtpEndpoint(regionInfo.region, { fips });
  try {
    assertHostMatchesRegion(endpoint, regionInfo.region);
  } catch (error) {
    fail(ENV.endpoint, (error as Error).message);
  }
  const safetyMarginMs = integer(env, ENV.safetyMarginSeconds, 30, 5, 300) * 1000;
  const probeMaxWaitMs = integer(env, ENV.probeMaxWaitSeconds, 150, 5, 840) * 1000;
  const tlsServername = optional(env, ENV.tlsServername);
  const additionalRegions = loadAdditionalRegions(optional(env, ENV.additionalRegions), {
    primaryRegion: regionInfo.region,
    fips,
    tlsServernameSet: tlsServername !== undefined,
    probeMaxWaitMs,
    safetyMarginMs,
  });
  const trustedCa = loadTrustedCa(env);
  const expectedSecretArn = optional(env, ENV.expectedSecretArn);
  if (expectedSecretArn !== undefined && !/^arn:aws[a-z-]*:secretsmanager:/.test(expectedSecretArn)) {
    fail(ENV.expectedSecretArn, 'must be a Secrets Manager secret ARN');
  }
  return {
    iamUserName,
    region: regionInfo.region,
    ...(regionInfo.warning ? { regionWarning: regionInfo.warning } : {}),
    endpoint,
    port: integer(env, ENV.port, DEFAULT_SMTP_PORT, 1, 65535),
    ...(additionalRegions.length > 0 && { additionalRegions }),
    ...(tlsServername ? { tlsServername } : {}),
    ...(trustedCa ? { trustedCa } : {}),
    ...(expectedSecretArn ? { expectedSecretArn } : {}),
    fleet: loadFleetConfig(env),
    ...(optional(env, ENV.notificationTopicArn)
      ? { notificationTopicArn: optional(env, ENV.notificationTopicArn) }
      : {}),
    safetyMarginMs,
    probeMaxWaitMs,
    retirement: loadRetirementPolicy(env),
    ...loadManualConsumers(env),
    ...loadParameterCopy(env),
  };
}

function loadParameterCopy(env: NodeJS.ProcessEnv): { parameterCopy?: { name: string; kmsKeyId?: string } } {
  const name = optional(env, ENV.parameterStoreName);
  const kmsKeyId = optional(env, ENV.parameterStoreKmsKeyId);
  if (name === undefined) {
    if (kmsKeyId !== undefined) fail(ENV.parameterStoreKmsKeyId, `applies only with ${ENV.parameterStoreName}`);
    return {};
  }
  if (!isParameterName(name)) {
    fail(ENV.parameterStoreName, 'must be a parameter name such as /mail/ses-smtp (not starting with aws or ssm)');
  }
  return { parameterCopy: { name, ...(kmsKeyId ? { kmsKeyId } : {}) } };
}

function loadManualConsumers(env: NodeJS.ProcessEnv): { manualConsumers?: ManualConsumersConfig } {
  const tableName = optional(env, ENV.manualConsumersTable);
  if (tableName === undefined) return {};
  if (!TABLE_NAME.test(tableName)) {
    fail(ENV.manualConsumersTable, 'must be a DynamoDB table name (3–255 of letters, digits, _ . -)');
  }
  return {
    manualConsumers: { tableName, alarmAfterDays: integer(env, ENV.manualConsumersAlarmAfterDays, 7, 1, 90) },
  };
}

/**
 * The extra CA of the SMTP check: its form, not its validity period (see {@link RotationConfig.trustedCa}). The size
 * check counts only this function's own variables ({@link ENV}): Lambda counts all of them, so the construct checks
 * the whole set at synth.
 */
function loadTrustedCa(env: NodeJS.ProcessEnv): TrustedCaBundle | undefined {
  const text = optional(env, ENV.trustedCaPem);
  if (text === undefined) return undefined;
  const bundle = readTrustedCa(text, (problem) => fail(ENV.trustedCaPem, problem));
  const own = Object.fromEntries(
    Object.values(ENV).flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]!]])),
  );
  const bytes = lambdaEnvironmentBytes(own);
  if (bytes > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
    fail(
      ENV.trustedCaPem,
      `makes the function's variables ${bytes} bytes, over Lambda's ${LAMBDA_ENVIRONMENT_LIMIT_BYTES}-byte limit ` +
        'for all variables together: trust only the CA that signs the SMTP endpoint (not a whole bundle)',
    );
  }
  return bundle;
}

/** Parses `Role=relay,relay-dr;Env=prod` into tag targets. @throws ConfigurationError naming FLEET_TARGET_TAGS */
export function parseTagTargets(text: string | undefined): TagTarget[] {
  if (text === undefined || text.trim() === '') return [];
  return readTagTargets(text) ?? fail(ENV.tagTargets, `must look like ${TAG_TARGETS_FORMAT}`);
}

function loadFleetConfig(env: NodeJS.ProcessEnv): FleetConfig {
  const documentName = required(env, ENV.documentName, 'the name or ARN of the SSM document that updates the hosts');
  const tagTargets = parseTagTargets(optional(env, ENV.tagTargets));
  const instanceIds = (optional(env, ENV.instanceIds) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const id of instanceIds) {
    if (!INSTANCE_ID.test(id)) fail(ENV.instanceIds, 'must be a comma-separated list of i-… or mi-… node ids');
  }
  if (tagTargets.length === 0 && instanceIds.length === 0) {
    fail(ENV.tagTargets, `is empty and so is ${ENV.instanceIds}: tell the rotation which hosts to update`);
  }
  if (tagTargets.length > 0 && instanceIds.length > 0) {
    fail(ENV.instanceIds, `cannot be combined with ${ENV.tagTargets} (SSM takes one or the other): choose one`);
  }
  if (tagTargets.length > 5) fail(ENV.tagTargets, 'may name at most 5 tag keys (an SSM limit)');
  if (instanceIds.length > 50) fail(ENV.instanceIds, 'may list at most 50 node ids (an SSM limit): use a tag instead');
  const maxConcurrency = optional(env, ENV.maxConcurrency) ?? '10%';
  if (!MAX_CONCURRENCY.test(maxConcurrency))
    fail(ENV.maxConcurrency, 'must be a number such as 2 or a percentage such as 10%');
  const maxErrors = optional(env, ENV.maxErrors) ?? '0';
  if (!MAX_ERRORS.test(maxErrors)) fail(ENV.maxErrors, 'must be a number such as 0 or a percentage such as 10%');
  const outputLogGroup = optional(env, ENV.outputLogGroup);
  return {
    documentName,
    tagTargets,
    instanceIds,
    maxConcurrency,
    maxErrors,
    deliveryTimeoutSeconds: integer(env, ENV.deliveryTimeoutSeconds, 600, 30, 2_592_000),
    ...(outputLogGroup ? { outputLogGroup } : {}),
    pollIntervalSeconds: integer(env, ENV.pollIntervalSeconds, 5, 1, 60),
  };
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function required(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const value = optional(env, name);
  if (value === undefined) fail(name, `is not set: it must hold ${what}`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = optional(env, name)?.toLowerCase();
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  fail(name, 'must be true or false');
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = optional(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < min || n > max) fail(name, `must be a whole number from ${min} to ${max}`);
  return n;
}

function fail(name: string, message: string): never {
  throw new ConfigurationError(`environment variable ${name} ${message}`, { setting: name });
}
