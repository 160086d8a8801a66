import { ConfigurationError } from '../../src/core/errors';
import { parseRegion } from '../../src/core/regions';
import { CONTEXT_KEYS } from './settings';

/**
 * CDK context is a free-form map: a misspelt key (`fleetTag`, `smtpport`) would otherwise be ignored and the
 * defaults deployed. The app refuses every key that is neither its own nor one CDK or its CLI owns.
 */

/** Keys the app entry reads itself, next to the stack settings of {@link CONTEXT_KEYS}. */
export const APP_CONTEXT_KEYS = {
  stackName: 'CloudFormation stack name, one per installation, e.g. SesSmtpRelaysProd',
  account: 'AWS account id (12 digits) to pin the stack to',
  region: 'AWS region to pin the stack to, e.g. eu-west-1',
} as const;

/** Every key this app reads. */
export const KNOWN_CONTEXT_KEYS: readonly string[] = [...Object.keys(APP_CONTEXT_KEYS), ...Object.keys(CONTEXT_KEYS)];

/** Keys without a prefix that the CDK CLI itself keeps in cdk.json / cdk.context.json and passes to every app. */
const CLI_KEYS: ReadonlySet<string> = new Set(['acknowledged-issue-numbers', 'cli-telemetry']);

/**
 * True for keys that belong to CDK, its CLI or a library, never to this app: feature flags (`@aws-cdk/…`),
 * CLI and lookup keys (`aws:cdk:…`, `availability-zones:account=…`), `cdk-…` / `aws-cdk…` keys and the CLI's
 * own `acknowledged-issue-numbers` and `cli-telemetry`.
 */
export function isForeignContextKey(key: string): boolean {
  return key.startsWith('@') || key.includes(':') || /^(aws-)?cdk[-_.]/i.test(key) || CLI_KEYS.has(key);
}

/**
 * Refuses context keys this app does not know, naming the nearest known key for each.
 * @throws ConfigurationError (setting: the first unknown key)
 */
export function assertKnownContextKeys(keys: Iterable<string>): void {
  const unknown = [...keys].filter((key) => !isForeignContextKey(key) && !KNOWN_CONTEXT_KEYS.includes(key)).sort();
  if (unknown.length === 0) return;
  const where = 'in cdk.json, cdk.context.json or the -c options (README "Deploying (AWS CDK)")';
  const guesses = unknown.map((key) => ({ key, near: nearestContextKey(key) }));
  let message: string;
  if (guesses.length === 1 && guesses[0]!.near !== undefined) {
    message = `unknown context key ${guesses[0]!.key}: did you mean ${guesses[0]!.near}? Fix or remove it ${where}`;
  } else {
    const listed = guesses.map(({ key, near }) => (near ? `${key} (did you mean ${near}?)` : key)).join(', ');
    const plural = unknown.length > 1;
    message =
      `unknown context key${plural ? 's' : ''} ${listed}: fix or remove ${plural ? 'them' : 'it'} ${where}; ` +
      `this app reads ${KNOWN_CONTEXT_KEYS.join(', ')}`;
  }
  throw new ConfigurationError(message, { setting: unknown[0]! });
}

/** The known key closest to `key` (case, dashes and underscores ignored; at most a few edits), if any. */
export function nearestContextKey(key: string): string | undefined {
  const wanted = normalise(key);
  let best: { key: string; distance: number } | undefined;
  for (const known of KNOWN_CONTEXT_KEYS) {
    const distance = editDistance(wanted, normalise(known));
    if (distance <= Math.max(2, Math.floor(known.length / 4)) && (!best || distance < best.distance)) {
      best = { key: known, distance };
    }
  }
  return best?.key;
}

/** Checks the values of the keys the app entry reads itself. @throws ConfigurationError naming the key */
export function appContextValues(get: (key: string) => unknown): {
  stackName?: string;
  account?: string;
  region?: string;
} {
  const value = (key: keyof typeof APP_CONTEXT_KEYS, pattern: RegExp, problem: string): string | undefined => {
    const raw = get(key);
    if (raw === undefined || raw === null || raw === '') return undefined;
    const text = String(raw);
    if (typeof raw === 'object' || !pattern.test(text)) {
      throw new ConfigurationError(`context key ${key} ${problem}: pass -c ${key}=… (${APP_CONTEXT_KEYS[key]})`, {
        setting: key,
      });
    }
    return text;
  };
  const region = value('region', /^[a-z0-9-]+$/, 'must be an AWS region name in lower case');
  if (region !== undefined) {
    try {
      parseRegion(region, false);
    } catch (error) {
      throw new ConfigurationError(
        `context key region is not a region: ${(error as Error).message}: pass -c region=… (${APP_CONTEXT_KEYS.region})`,
        { setting: 'region' },
      );
    }
  }
  const stackName = value(
    'stackName',
    /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
    'must be a CloudFormation stack name (a letter, then up to 127 letters, digits and hyphens)',
  );
  const account = value('account', /^[0-9]{12}$/, 'must be a 12-digit AWS account id');
  return {
    ...(stackName ? { stackName } : {}),
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
  };
}

/** Which context key feeds each construct prop, so a construct error can name the key the user typed. */
const CONTEXT_KEY_OF_PROP: Record<string, string> = {
  'sending.identities': 'identities',
  'sending.configurationSet': 'configurationSet',
  'fleet.tags': 'fleetTags',
  'fleet.instanceIds': 'instanceIds',
  'fleet.maxConcurrency': 'maxConcurrency',
  'fleet.maxErrors': 'maxErrors',
  'schedule.expression': 'schedule',
  'schedule.window': 'scheduleWindow',
  'notifications.emails': 'notificationEmails',
  logRetention: 'logRetentionDays',
  smtpTrustedCaPem: 'smtpTrustedCaPem / smtpTrustedCaFile',
  sesRegion: 'sesRegion',
  additionalSesRegions: 'additionalSesRegions',
  smtpPort: 'smtpPort',
  smtpEndpoint: 'smtpEndpoint',
  smtpTlsServername: 'smtpTlsServername',
  hostRoleArns: 'hostRoleArns',
};

/**
 * The one line printed for an error of this app's configuration, or undefined for anything else (a bug, a cdk-nag
 * finding: those keep CDK's own report). Construct errors are prefixed with the context key that feeds the prop.
 */
export function configurationErrorLine(error: unknown): string | undefined {
  if (!(error instanceof ConfigurationError)) return undefined;
  const message = error.message.replace(/\s+/g, ' ').trim();
  const key = error.setting === undefined ? undefined : CONTEXT_KEY_OF_PROP[error.setting];
  return key !== undefined && message.startsWith('SesSmtpRotation prop') ? `context key ${key}: ${message}` : message;
}

function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_.\s]/g, '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
