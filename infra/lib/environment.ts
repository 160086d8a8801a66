import { Duration, Token } from 'aws-cdk-lib';
import { regionOfSmtpHost } from '../../src/core/endpoint';
import { ConfigurationError } from '../../src/core/errors';
import { LAMBDA_ENVIRONMENT_LIMIT_BYTES, lambdaEnvironmentBytes } from '../../src/core/trusted-ca';
import { ENV, loadConfig } from '../../src/rotation/config';
import type { RetirementPolicy } from '../../src/rotation/retirement-policy';
import type { FleetTargeting, TimingOptions } from './props';
import { retirementEnvironment } from './retirement';
import { propError, serializeTagTargets } from './validate';

/** What the construct knows when it configures the rotation Lambda. */
export interface RotationEnvironmentInput {
  readonly iamUserName: string;
  readonly sesRegion: string;
  /** Additional SES regions (SES_ADDITIONAL_REGIONS). */
  readonly additionalSesRegions?: readonly string[];
  readonly smtpPort: number;
  readonly fips: boolean;
  readonly smtpEndpoint?: string;
  readonly smtpTlsServername?: string;
  /** Checked, normalised PEM of the SMTP check's extra CA. */
  readonly trustedCaPem?: string;
  readonly secretArn: string;
  readonly documentName: string;
  readonly fleet: FleetTargeting;
  readonly outputLogGroupName: string;
  readonly notificationTopicArn: string;
  readonly timing?: TimingOptions;
  readonly serviceName: string;
  readonly metricsNamespace: string;
  /** Resolved and validated retirement policy (default staged). */
  readonly retirement?: RetirementPolicy;
  /** The manual-consumer registry's table and alarm threshold, when the registry exists. */
  readonly manualConsumers?: { readonly tableName: string; readonly alarmAfterDays: number };
  /** The Parameter Store copy's name and customer managed key, when the copy is configured. */
  readonly parameterStore?: { readonly name: string; readonly kmsKeyArn?: string };
}

/** Powertools variables set next to the rotation's own {@link ENV}. */
export const POWERTOOLS_ENV = {
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** Which construct prop feeds each variable, so a loader error can name the prop the user actually wrote. */
const PROP_OF_VARIABLE: Record<string, string> = {
  [ENV.region]: 'sesRegion',
  [ENV.additionalRegions]: 'additionalSesRegions',
  [ENV.endpoint]: 'smtpEndpoint',
  [ENV.port]: 'smtpPort',
  [ENV.tlsServername]: 'smtpTlsServername',
  [ENV.trustedCaPem]: 'smtpTrustedCaPem',
  [ENV.tagTargets]: 'fleet.tags',
  [ENV.instanceIds]: 'fleet.instanceIds',
  [ENV.maxConcurrency]: 'fleet.maxConcurrency',
  [ENV.maxErrors]: 'fleet.maxErrors',
  [ENV.deliveryTimeoutSeconds]: 'fleet.deliveryTimeout',
  [ENV.pollIntervalSeconds]: 'fleet.pollInterval',
  [ENV.safetyMarginSeconds]: 'timing.safetyMargin',
  [ENV.probeMaxWaitSeconds]: 'timing.probeMaxWait',
  [ENV.manualConsumersAlarmAfterDays]: 'manualConsumers.alarmAfterDays',
  [ENV.parameterStoreName]: 'parameterStore.name',
};

/**
 * The rotation Lambda's environment: exactly the names of src/rotation/config.ts `ENV` (optional ones only when
 * configured) plus the Powertools names. Validated here with the Lambda's own loader, so a bad prop fails
 * `cdk synth` instead of the first rotation.
 */
export function rotationEnvironment(input: RotationEnvironmentInput): Record<string, string> {
  const { fleet, timing } = input;
  const env: Record<string, string | undefined> = {
    [ENV.iamUserName]: input.iamUserName,
    [ENV.region]: input.sesRegion,
    [ENV.additionalRegions]: input.additionalSesRegions?.length ? input.additionalSesRegions.join(',') : undefined,
    [ENV.endpoint]: input.smtpEndpoint,
    [ENV.fips]: input.fips ? 'true' : undefined,
    [ENV.port]: String(input.smtpPort),
    [ENV.tlsServername]: input.smtpTlsServername,
    [ENV.trustedCaPem]: input.trustedCaPem,
    [ENV.expectedSecretArn]: input.secretArn,
    [ENV.documentName]: input.documentName,
    [ENV.tagTargets]: serializeTagTargets(fleet.tags),
    [ENV.instanceIds]: fleet.instanceIds?.length ? fleet.instanceIds.join(',') : undefined,
    [ENV.maxConcurrency]: fleet.maxConcurrency ?? '10%',
    [ENV.maxErrors]: fleet.maxErrors ?? '0',
    [ENV.deliveryTimeoutSeconds]: seconds(fleet.deliveryTimeout, Duration.minutes(10)),
    [ENV.outputLogGroup]: input.outputLogGroupName,
    [ENV.pollIntervalSeconds]: seconds(fleet.pollInterval, Duration.seconds(5)),
    [ENV.notificationTopicArn]: input.notificationTopicArn,
    [ENV.safetyMarginSeconds]: seconds(timing?.safetyMargin, Duration.seconds(30)),
    [ENV.probeMaxWaitSeconds]: seconds(timing?.probeMaxWait, Duration.seconds(150)),
    [POWERTOOLS_ENV.serviceName]: input.serviceName,
    [POWERTOOLS_ENV.metricsNamespace]: input.metricsNamespace,
    ...(input.retirement ? retirementEnvironment(input.retirement) : {}),
    [ENV.manualConsumersTable]: input.manualConsumers?.tableName,
    [ENV.manualConsumersAlarmAfterDays]: input.manualConsumers && String(input.manualConsumers.alarmAfterDays),
    [ENV.parameterStoreName]: input.parameterStore?.name,
    [ENV.parameterStoreKmsKeyId]: input.parameterStore?.kmsKeyArn,
  };
  const defined = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  validateWithLambdaLoader(defined);
  checkEnvironmentSize(defined);
  return defined;
}

function seconds(value: Duration | undefined, fallback: Duration): string {
  return String((value ?? fallback).toSeconds());
}

/**
 * Runs the Lambda's `loadConfig` on the environment. Deploy-time values (tokens: user name, ARNs, the region of
 * an environment-agnostic stack) are replaced by well-formed stand-ins first; everything the user typed is
 * checked as is.
 */
function validateWithLambdaLoader(env: Record<string, string>): void {
  const concrete: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    // A CA given as a token (e.g. an SSM parameter) is only known at deploy time: nothing to check here.
    if (Token.isUnresolved(value) && name === ENV.trustedCaPem) continue;
    concrete[name] = Token.isUnresolved(value) ? standIn(name, env) : value;
  }
  try {
    loadConfig(concrete);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    const prop = error.setting === undefined ? undefined : PROP_OF_VARIABLE[error.setting];
    throw prop ? propError(prop, `is invalid (${error.message})`) : error;
  }
}

/**
 * Lambda refuses a function whose variables exceed 4 KB (their JSON text) only at deploy time. Names CloudFormation
 * generates are unknown at synth, so each token counts as a generous {@link TOKEN_BYTES} characters.
 */
function checkEnvironmentSize(env: Record<string, string>): void {
  const estimate = Object.fromEntries(
    Object.entries(env).map(([name, value]) => [name, Token.isUnresolved(value) ? 'x'.repeat(TOKEN_BYTES) : value]),
  );
  const bytes = lambdaEnvironmentBytes(estimate);
  if (bytes <= LAMBDA_ENVIRONMENT_LIMIT_BYTES) return;
  const over = `make the function's environment about ${bytes} bytes, over Lambda's ${LAMBDA_ENVIRONMENT_LIMIT_BYTES}-byte limit for all variables together`;
  if (env[ENV.trustedCaPem] !== undefined) {
    throw propError(
      'smtpTrustedCaPem',
      `holds ${Buffer.byteLength(env[ENV.trustedCaPem]!, 'utf8')} bytes of PEM, which ${over}: give only the CA that signs the SMTP endpoint, not a bundle`,
    );
  }
  throw new ConfigurationError(`the settings ${over}: shorten the fleet tags, node ids or serviceName`);
}

/** Size assumed for a value CloudFormation fills in at deploy time (ARNs and generated names are shorter). */
const TOKEN_BYTES = 160;

/** Well-formed values for variables CloudFormation fills in at deploy time (the region is computed). */
const STAND_INS: Readonly<Record<string, string>> = {
  [ENV.endpoint]: 'vpce-stand-in.example.com',
  [ENV.iamUserName]: 'stand-in-user',
  [ENV.expectedSecretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stand-in-AbCdEf',
  [ENV.notificationTopicArn]: 'arn:aws:sns:us-east-1:123456789012:stand-in',
  // Deploy-time parameters of the release template: CloudFormation checks them against the same rules.
  [ENV.maxConcurrency]: '10%',
  [ENV.maxErrors]: '0',
  [ENV.tagTargets]: 'stand-in=stand-in',
};

function standIn(name: string, env: Record<string, string>): string {
  if (name !== ENV.region) return STAND_INS[name] ?? 'stand-in';
  // An explicit endpoint names its region; the stand-in must agree with it or the check would misfire.
  const endpoint = env[ENV.endpoint];
  // Nor may it be one of the additional regions (checked again at run time against the real region).
  const additional = (env[ENV.additionalRegions] ?? '').split(',').map((r) => r.trim());
  const fallback = ['us-east-1', 'us-west-2'].find((r) => !additional.includes(r));
  return (endpoint && !Token.isUnresolved(endpoint) && regionOfSmtpHost(endpoint)) || fallback!;
}
