/**
 * The operator CLI's errors: one module, one base class (the project's). `main` maps them to the exit code and the
 * JSON error document: a {@link UsageError} is `usage` (exit 2), an {@link AwsCallError} `aws`, the rest `failure`.
 */
import { SesSmtpRotationError } from '../core/errors';

/** Wrong flags or arguments: the command prints the message and its usage, and exits with 2. */
export class UsageError extends SesSmtpRotationError {}

/**
 * Runs an input check that applies the project's own rules; its refusal (an error of class `refusal`) becomes a
 * usage error (exit 2), prefixed with `flag` when the message does not name the flag itself.
 */
export function usageOf<T>(refusal: abstract new (...args: never[]) => Error, check: () => T, flag?: string): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof refusal)) throw error;
    throw new UsageError(flag ? `${flag}: ${error.message}` : error.message);
  }
}

/** What a command was doing when a call failed. */
export interface AwsCall {
  /** The IAM action, e.g. `iam:ListAccessKeys`. */
  readonly action: string;
  /** The resource in words, e.g. `user ses-smtp-sender` or `secret arn:aws:…`. */
  readonly resource: string;
  /** The region the call went to (undefined: the profile's; IAM is global). */
  readonly region?: string;
}

/** A failed AWS call: `problem` names the call, resource and region; `fix` what to do. */
export class AwsCallError extends SesSmtpRotationError {
  constructor(
    readonly call: AwsCall,
    readonly errorName: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${problem}: ${fix}`);
  }
}

/** The action was refused (nothing retiring, or the key in AWSCURRENT/AWSPENDING). Nothing was changed. */
export class RetireRefusedError extends SesSmtpRotationError {}
