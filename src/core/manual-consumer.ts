/**
 * Manual consumers: systems the SSM push cannot reach (an appliance, a scanner, a partner-managed box) whose
 * credential staff change by hand and then confirm. The shapes and the input rules, shared by the function, the
 * registry adapter and the CLI.
 */
import { SesSmtpRotationError } from './errors';

/** Longest consumer name (it is part of a DynamoDB sort key and of every notification line). */
export const CONSUMER_NAME_MAX = 64;
/** Longest owner contact. */
export const OWNER_MAX = 128;
/** Longest free-text note (a consumer's description, or a confirmation's note). */
export const NOTE_MAX = 256;

/** A name, owner or note that cannot be stored; `field` names the flag to fix. */
export class ManualConsumerInputError extends SesSmtpRotationError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** One registered manual consumer of a secret. */
export interface ManualConsumer {
  readonly name: string;
  /** Who changes its credential (e-mail, team). */
  readonly owner?: string;
  readonly note?: string;
  /** ISO time and IAM principal ARN of the registration. */
  readonly addedAt: string;
  readonly addedBy: string;
}

/** A person's confirmation that one consumer now uses one version. Never the credential itself. */
export interface ManualConfirmation {
  readonly consumer: string;
  readonly versionId: string;
  /** The confirming caller's ARN, as STS GetCallerIdentity reported it. */
  readonly confirmedBy: string;
  readonly confirmedAt: string;
  readonly note?: string;
}

/** What the function recorded about asking the manual consumers of one version. */
export interface ManualWaitState {
  readonly versionId: string;
  /** When the function first found a consumer pending for this version (ISO). */
  readonly waitingSince: string;
  /** When the one request notification went out. */
  readonly notifiedAt?: string;
  /** When the last daily reminder went out. */
  readonly lastReminderAt?: string;
  /** When the overdue alert went out. */
  readonly overdueAt?: string;
}

/**
 * Checks a consumer name: 1–64 characters, no control characters (they would corrupt terminals and logs), no
 * leading or trailing space.
 * @throws ManualConsumerInputError naming the problem and the limit
 */
export function checkConsumerName(name: string): string {
  return checkText('--consumer', 'consumer name', name, CONSUMER_NAME_MAX, true);
}

/**
 * Checks an optional free text (owner, note) the same way; empty is allowed.
 * @throws ManualConsumerInputError
 */
export function checkFreeText(flag: string, what: string, text: string, max: number): string {
  return checkText(flag, what, text, max, false);
}

function checkText(flag: string, what: string, text: string, max: number, required: boolean): string {
  if (required && text.length === 0) {
    throw new ManualConsumerInputError(flag, `the ${what} is empty: give ${flag} a name, e.g. ${flag} scanner-3`);
  }
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.exec(text);
  if (control) {
    const code = control[0].codePointAt(0)?.toString(16).padStart(4, '0') ?? '';
    throw new ManualConsumerInputError(
      flag,
      `the ${what} contains a control character (U+${code.toUpperCase()}) at position ${control.index + 1}: ` +
        'use printable characters only',
    );
  }
  if ([...text].length > max) {
    throw new ManualConsumerInputError(
      flag,
      `the ${what} is ${[...text].length} characters long; the limit is ${max}: shorten ${flag}`,
    );
  }
  if (text !== text.trim()) {
    throw new ManualConsumerInputError(flag, `the ${what} starts or ends with a space: remove it`);
  }
  return text;
}
