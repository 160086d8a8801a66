import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../../src/core/errors';
import { readTrustedCa } from '../../src/core/trusted-ca';
import { parseWindow } from '../../src/rotation/retirement-policy';
import { readTagTargets, TAG_TARGETS_FORMAT } from '../../src/core/grammar';

/**
 * The ready stack's configuration as plain data, read from CDK context (`cdk.json` or `-c key=value`). Every key
 * is documented in the README section "Deploying"; lists accept a JSON array (cdk.json) or a comma-separated string (`-c`).
 */
export interface DeploymentSettings {
  readonly identities: string[];
  readonly configurationSet?: string;
  readonly sesRegion?: string;
  readonly additionalSesRegions?: string[];
  readonly smtpPort?: number;
  readonly fips?: boolean;
  readonly smtpEndpoint?: string;
  readonly smtpTlsServername?: string;
  /** From `smtpTrustedCaPem` (the PEM text) or `smtpTrustedCaFile` (a PEM file), checked. */
  readonly smtpTrustedCaPem?: string;
  readonly fleetTags?: Record<string, string[]>;
  readonly instanceIds?: string[];
  readonly maxConcurrency?: string;
  readonly maxErrors?: string;
  readonly schedule?: string;
  readonly scheduleWindow?: string;
  readonly rotateImmediately?: boolean;
  readonly kmsKeyArn?: string;
  readonly vpcId?: string;
  readonly subnetIds?: string[];
  readonly securityGroupIds?: string[];
  readonly notificationEmails?: string[];
  readonly notificationTopicArn?: string;
  readonly hostRoleArns?: string[];
  readonly logRetentionDays?: number;
  readonly permissionsBoundaryArn?: string;
  readonly retirementPolicy?: 'immediate' | 'staged';
  /** Milliseconds (parsed from `24h`, `90m`, `7d`). */
  readonly deactivateAfterMs?: number;
  readonly deleteAfterMs?: number;
  readonly retirementInUse?: 'hold' | 'proceed';
  readonly manualConsumers?: boolean;
  readonly manualConsumersAlarmAfterDays?: number;
  readonly parameterStoreName?: string;
}

/** Context keys read by {@link settingsFromContext}, with a one-line meaning each (used in error messages). */
export const CONTEXT_KEYS = {
  identities: 'verified SES identities the relays send from (comma-separated), e.g. example.com',
  configurationSet: 'SES configuration set name',
  sesRegion: 'SES region of the SMTP endpoint, e.g. eu-west-1',
  additionalSesRegions: 'additional SES regions with their own SMTP password (comma-separated), e.g. eu-central-1',
  smtpPort: 'SMTP port: 587 or 465',
  fips: 'true to use the FIPS SMTP host',
  smtpEndpoint: 'explicit SMTP host name',
  smtpTlsServername: 'TLS server name to verify when smtpEndpoint is a VPC endpoint name',
  smtpTrustedCaPem: 'PEM text of the extra CA certificate the SMTP check trusts, e.g. "$(cat proxy-ca.pem)"',
  smtpTrustedCaFile: 'path of a PEM file holding the extra CA certificate the SMTP check trusts',
  fleetTags: 'relay tags as Key=v1,v2;Key2=v',
  instanceIds: 'relay node ids (comma-separated), instead of fleetTags',
  maxConcurrency: 'hosts updated at once, e.g. 1 or 10%',
  maxErrors: 'failed hosts tolerated, e.g. 0',
  schedule: 'schedule expression, e.g. cron(0 3 1 1/3 ? *)',
  scheduleWindow: 'rotation window, e.g. 3h',
  rotateImmediately: 'true/false: rotate when the schedule is created or changed',
  kmsKeyArn: 'KMS key ARN for the secret',
  vpcId: 'VPC id for the function',
  subnetIds: 'subnet ids for the function (comma-separated, required with vpcId)',
  securityGroupIds: 'own security group ids (comma-separated)',
  notificationEmails: 'e-mail addresses to notify (comma-separated)',
  notificationTopicArn: 'existing SNS topic ARN',
  hostRoleArns: 'IAM role ARNs of the relays (comma-separated)',
  logRetentionDays: 'log retention in days, e.g. 365',
  permissionsBoundaryArn: 'managed policy ARN used as permissions boundary',
  retirementPolicy: 'how the old key is retired: staged (default) or immediate',
  deactivateAfter: 'staged: time after every relay confirmed before the old key is deactivated, e.g. 24h',
  deleteAfter: 'staged: time after deactivation before the old key is deleted, e.g. 7d',
  retirementInUse: 'hold (default) or proceed when the old key is still used after the push',
  manualConsumers: 'true to create the manual-consumer registry (systems changed by hand, confirmed with the CLI)',
  manualConsumersAlarmAfterDays: 'days a rotation may wait for manual consumers before the alarm, e.g. 7',
  parameterStoreName: 'SecureString parameter the promoted credential is copied to, e.g. /mail/ses-smtp',
} as const;

type Key = keyof typeof CONTEXT_KEYS;

/** Reads the settings; `get` is `app.node.tryGetContext`. */
export function settingsFromContext(get: (key: string) => unknown): DeploymentSettings {
  const text = (key: Key): string | undefined => {
    const value = get(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw contextError(key, 'must be a single value');
  };
  const list = (key: Key): string[] | undefined => {
    const value = get(key);
    if (value === undefined || value === null || value === '') return undefined;
    const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
    const trimmed = items.map((item) => item.trim()).filter((item) => item !== '');
    return trimmed.length > 0 ? trimmed : undefined;
  };
  const bool = (key: Key): boolean | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    if (value === 'true' || value === 'false') return value === 'true';
    throw contextError(key, 'must be true or false');
  };
  const int = (key: Key): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    if (!/^[0-9]+$/.test(value)) throw contextError(key, 'must be a whole number');
    return Number(value);
  };

  const oneOf = <T extends string>(key: Key, allowed: readonly T[]): T | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw contextError(key, `must be ${allowed.join(' or ')}`);
    return value as T;
  };
  const windowMs = (key: Key): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    try {
      return parseWindow(value, `context key ${key}`);
    } catch {
      throw contextError(key, 'must be a positive duration of at most 365d such as 90m, 24h or 7d');
    }
  };

  const identities = list('identities');
  if (!identities) throw contextError('identities', 'is required');
  const settings: DeploymentSettings = {
    identities,
    configurationSet: text('configurationSet'),
    sesRegion: text('sesRegion'),
    additionalSesRegions: list('additionalSesRegions'),
    smtpPort: int('smtpPort'),
    fips: bool('fips'),
    smtpEndpoint: text('smtpEndpoint'),
    smtpTlsServername: text('smtpTlsServername'),
    smtpTrustedCaPem: trustedCa(text('smtpTrustedCaPem'), text('smtpTrustedCaFile')),
    fleetTags: tags(get('fleetTags')),
    instanceIds: list('instanceIds'),
    maxConcurrency: text('maxConcurrency'),
    maxErrors: text('maxErrors'),
    schedule: text('schedule'),
    scheduleWindow: text('scheduleWindow'),
    rotateImmediately: bool('rotateImmediately'),
    kmsKeyArn: text('kmsKeyArn'),
    vpcId: text('vpcId'),
    subnetIds: list('subnetIds'),
    securityGroupIds: list('securityGroupIds'),
    notificationEmails: list('notificationEmails'),
    notificationTopicArn: text('notificationTopicArn'),
    hostRoleArns: list('hostRoleArns'),
    logRetentionDays: int('logRetentionDays'),
    permissionsBoundaryArn: text('permissionsBoundaryArn'),
    retirementPolicy: oneOf('retirementPolicy', ['immediate', 'staged'] as const),
    deactivateAfterMs: windowMs('deactivateAfter'),
    deleteAfterMs: windowMs('deleteAfter'),
    retirementInUse: oneOf('retirementInUse', ['hold', 'proceed'] as const),
    manualConsumers: bool('manualConsumers'),
    manualConsumersAlarmAfterDays: int('manualConsumersAlarmAfterDays'),
    parameterStoreName: text('parameterStoreName'),
  };
  if (settings.manualConsumersAlarmAfterDays !== undefined && !settings.manualConsumers) {
    throw contextError('manualConsumers', 'must be true for manualConsumersAlarmAfterDays to apply');
  }
  if (settings.vpcId && !settings.subnetIds) throw contextError('subnetIds', 'is required with vpcId');
  if (!settings.vpcId && (settings.subnetIds || settings.securityGroupIds)) {
    throw contextError('vpcId', 'is required with subnetIds / securityGroupIds');
  }
  // Drop unset keys so `{...settings}` never overrides a default with undefined.
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  ) as unknown as DeploymentSettings;
}

/**
 * The extra CA from its PEM text or its file (relative paths from the directory `cdk` runs in), its form checked
 * here so the error names the key and the file; the construct warns about its validity period.
 */
function trustedCa(pem: string | undefined, file: string | undefined): string | undefined {
  if (pem !== undefined && file !== undefined) {
    throw contextError('smtpTrustedCaFile', 'cannot be combined with smtpTrustedCaPem: give one of them');
  }
  const key: Key = file !== undefined ? 'smtpTrustedCaFile' : 'smtpTrustedCaPem';
  let text = pem;
  if (file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw contextError(
        key,
        `names ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  if (text === undefined) return undefined;
  return readTrustedCa(text, (problem) =>
    contextError(key, file === undefined ? problem : `names ${file}, which ${problem}`),
  ).pem;
}

/** `Key=v1,v2;Key2=v` (string) or `{"Key": ["v1", "v2"]}` (cdk.json). */
function tags(value: unknown): Record<string, string[]> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, values]) => [
        key,
        Array.isArray(values) ? values.map(String) : String(values).split(','),
      ]),
    );
  }
  const targets = readTagTargets(String(value));
  if (!targets) throw contextError('fleetTags', `has "${String(value).slice(0, 80)}": expected ${TAG_TARGETS_FORMAT}`);
  return Object.fromEntries(targets.map((t) => [t.key, [...t.values]]));
}

function contextError(key: Key, message: string): ConfigurationError {
  return new ConfigurationError(`context key ${key} ${message}: pass -c ${key}=… (${CONTEXT_KEYS[key]})`, {
    setting: key,
  });
}
