import { Token } from 'aws-cdk-lib';
import { SES_SMTP_PORTS } from '../../src/core/endpoint';
import { ConfigurationError } from '../../src/core/errors';
import { readTrustedCa, trustedCaValidityProblem, trustedCaValidUntil } from '../../src/core/trusted-ca';
import type { FleetTargeting, SendingScope } from './props';
import { cronFields, RATE, rotationIntervalBoundsMs } from './schedule';
import { DAY_MS, HOUR_MS } from '../../src/rotation/retirement-policy';
import { formatTagTargets, MAX_TAG_VALUES, TAG_KEY } from '../../src/core/grammar';

/**
 * Synth-time checks of construct props that CloudFormation would only reject at deploy time (or never). Every
 * error names the prop and what it should hold. Values that are tokens (resolved at deploy time) are skipped.
 */

/** Builds the error for one prop. */
export function propError(prop: string, message: string): ConfigurationError {
  return new ConfigurationError(`SesSmtpRotation prop ${prop} ${message}`, { setting: prop });
}

// Exported where the release template's parameters use the same rule as their AllowedPattern.
export const IDENTITY = /^[^\s/*:,;]+\.[^\s/*:,;]+$/;
const CONFIGURATION_SET = /^[A-Za-z0-9_-]{1,64}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]+$/;
export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** A targeting tag value: not blank, and no `;` or `,` (they separate entries of the Lambda's tag format). */
export const TAG_VALUE = /^[^;,]*[^;,\s][^;,]*$/;
const WINDOW = /^[0-9]{1,2}h$/;

/** Identities and configuration set of the SES user's policy. */
export function validateSendingScope(scope: SendingScope): void {
  if (scope.identities.length === 0) {
    throw propError(
      'sending.identities',
      'is empty: name at least one verified SES identity (domain or address) the relays send from, e.g. example.com',
    );
  }
  for (const identity of scope.identities) {
    if (!Token.isUnresolved(identity) && !IDENTITY.test(identity)) {
      throw propError('sending.identities', `contains "${identity}": expected a domain (example.com) or an address`);
    }
  }
  const set = scope.configurationSet;
  if (set !== undefined && !Token.isUnresolved(set) && !CONFIGURATION_SET.test(set)) {
    throw propError('sending.configurationSet', 'must be a configuration set name (1–64 of letters, digits, _ and -)');
  }
}

/**
 * Serialises tag targets into the Lambda's `Key=v1,v2;Key2=v` format with the function's own grammar (TAG_KEY,
 * MAX_TAG_VALUES), so synth refuses what FLEET_TARGET_TAGS would refuse at run time. Stricter where the format
 * would silently change a target: `=` in a key, and spaces around a key or value (the function trims them, the
 * IAM conditions on the same tags would not). Errors name the entry, never the tag.
 */
export function serializeTagTargets(tags: FleetTargeting['tags']): string | undefined {
  if (tags === undefined) return undefined;
  const entries = Object.entries(tags);
  if (entries.length === 0) return undefined;
  const targets = entries.map(([key, values], index) => {
    const entry = `entry ${index + 1}`;
    if (!TAG_KEY.test(key) || key.includes('=') || key !== key.trim()) {
      throw propError(
        'fleet.tags',
        `${entry} has a key Run Command cannot target: use 1–128 letters, digits, spaces and _ . : / + - @ ` +
          '(no = ; or , and no leading or trailing space)',
      );
    }
    if (values.length === 0 || values.length > MAX_TAG_VALUES) {
      throw propError(
        'fleet.tags',
        `${entry} lists ${values.length} values: give 1–${MAX_TAG_VALUES} per key (SendCommand's limit)`,
      );
    }
    const bad = values.findIndex((value) => !TAG_VALUE.test(value) || value !== value.trim());
    if (bad >= 0) {
      throw propError(
        'fleet.tags',
        `${entry} has value ${bad + 1}, which is empty, contains ; or , or has a leading or trailing space`,
      );
    }
    return { key, values };
  });
  return formatTagTargets(targets);
}

/** The SMTP port: only the SES ports Lambda may use (25 is throttled/blocked for Lambda and EC2). */
export function validateSmtpPort(port: number): void {
  if (SES_SMTP_PORTS[port] === undefined || port === 25) {
    throw propError('smtpPort', `is ${port}: use 587 (STARTTLS, recommended) or 465 (implicit TLS), or 2587 / 2465`);
  }
}

/** A Secrets Manager schedule expression and window (rules: schedule rules, copied into the README section "Deploying"). */
export function validateSchedule(expression: string, window: string): void {
  const rate = RATE.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!.startsWith('hour') ? 'hours' : 'days';
    if ((unit === 'hours' && (n < 4 || n > 23)) || (unit === 'days' && (n < 1 || n > 1000))) {
      throw propError('schedule.expression', 'rate() must be 4–23 hours or 1–1000 days');
    }
  } else {
    const fields = cronFields(expression);
    if (fields?.[0] !== '0' || fields[5] !== '*') {
      throw propError(
        'schedule.expression',
        `is "${expression}": use cron(0 H D M DOW *) (minutes 0, year *, UTC) or rate(N days)`,
      );
    }
  }
  // Secrets Manager rotates at most every four hours; a cron that never fires (30 February) would never rotate.
  const bounds = rotationIntervalBoundsMs(expression);
  if (!bounds) {
    throw propError(
      'schedule.expression',
      `is "${expression}": it starts fewer than two rotations in eight years (a date that never comes, such as 30 February?), so the key would never rotate`,
    );
  }
  if (bounds.minMs < 4 * HOUR_MS) {
    throw propError(
      'schedule.expression',
      `is "${expression}": it starts rotations ${duration(bounds.minMs)} apart, and Secrets Manager rotates at most every 4 hours`,
    );
  }
  const hours = Number(window.slice(0, -1));
  if (!WINDOW.test(window) || hours < 1 || hours > 24) {
    throw propError('schedule.window', `is "${window}": use a number of hours from 1h to 24h, e.g. 3h`);
  }
  // Secrets Manager refuses a window that runs into the next rotation's window.
  if (hours * HOUR_MS > bounds.minMs) {
    throw propError(
      'schedule.window',
      `of ${window} is longer than the shortest time between two rotations of "${expression}" (${duration(bounds.minMs)}): shorten it`,
    );
  }
  // Secrets Manager refuses a window that runs into the next UTC day.
  const startHour = cronFields(expression)?.[1];
  if (startHour !== undefined && /^[0-9]{1,2}$/.test(startHour) && Number(startHour) + hours > 24) {
    throw propError(
      'schedule.window',
      `of ${window} starting at ${startHour}:00 UTC would cross midnight UTC: shorten it`,
    );
  }
}

/** A time between rotations as an operator would say it: hours below two days, else days. */
function duration(ms: number): string {
  const hours = ms / HOUR_MS;
  return hours < 48 ? `${+hours.toFixed(1)} hours` : `${+(hours / 24).toFixed(1)} days`;
}

/** The relays' role ARNs (the secret's resource policy names them). */
export function validateHostRoleArns(arns: readonly string[]): void {
  for (const arn of arns) {
    if (!Token.isUnresolved(arn) && !ROLE_ARN.test(arn)) {
      throw propError(
        'hostRoleArns',
        `contains "${arn}": expected an IAM role ARN, arn:aws:iam::<account>:role/<name>`,
      );
    }
  }
}

/** Notification e-mail addresses. */
export function validateEmails(emails: readonly string[]): void {
  for (const email of emails) {
    if (!Token.isUnresolved(email) && !EMAIL.test(email)) {
      throw propError('notifications.emails', `contains "${email}": expected an e-mail address`);
    }
  }
}

/**
 * The SMTP check's extra CA: PEM certificates only, each decodable (the same parser the function uses). Returns the
 * normalised PEM (certificate blocks only: fewer bytes in the 4 KB environment) and a warning when a certificate is
 * not valid at `now`, or stops being valid before the next scheduled rotation may run: synth stays reproducible and
 * can still deploy other fixes, while the function refuses to start a rotation with such a CA (README "The SMTP
 * check").
 * @param scheduleExpression the rotation schedule (no warning about the next rotation when absent)
 * @throws ConfigurationError naming smtpTrustedCaPem when the text is not a readable certificate bundle
 */
export function validateTrustedCaPem(
  pem: string,
  now: Date = new Date(),
  scheduleExpression?: string,
): { pem: string; warning?: string } {
  if (Token.isUnresolved(pem)) return { pem };
  const bundle = readTrustedCa(pem, (problem) => propError('smtpTrustedCaPem', problem));
  const problem = trustedCaValidityProblem(bundle, now);
  if (problem !== undefined) {
    return {
      pem: bundle.pem,
      warning: `smtpTrustedCaPem ${problem}. Until then every rotation stops at createSecret (no key is minted)`,
    };
  }
  const until = trustedCaValidUntil(bundle);
  const rotationIntervalMs = scheduleExpression && rotationIntervalBoundsMs(scheduleExpression)?.maxMs;
  if (rotationIntervalMs && until.getTime() < now.getTime() + rotationIntervalMs) {
    const days = Math.ceil(rotationIntervalMs / DAY_MS);
    return {
      pem: bundle.pem,
      warning:
        `smtpTrustedCaPem expires on ${until.toISOString().slice(0, 10)}, before the next scheduled rotation may run ` +
        `(up to ${days} days from now): deploy the CA's next certificate before then, or that rotation stops at ` +
        'createSecret (no key is minted)',
    };
  }
  return { pem: bundle.pem };
}
