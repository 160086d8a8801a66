/**
 * Errors raised by ses-smtp-rotation. Every message names what is wrong and what to do about it, and never
 * contains a secret value (password, secret access key, rotation token).
 */

/** Base class: lets callers tell our own, explained errors apart from unexpected ones. */
export class SesSmtpRotationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A region string that cannot be an AWS region (wrong case, underscores, empty). */
export class InvalidRegionError extends SesSmtpRotationError {}

/** A secret value whose JSON does not have the expected shape; names the field, never its value. */
export class SecretShapeError extends SesSmtpRotationError {
  constructor(
    readonly field: string,
    expectation: string,
  ) {
    super(`secret field "${field}" ${expectation}`);
  }
}

/** An access key id of a temporary (STS) credential: SES SMTP passwords must not be derived from those. */
export class TemporaryCredentialError extends SesSmtpRotationError {}

/** A stored SMTP password of the retired SigV2 kind (starts with "A"). */
export class LegacyPasswordError extends SesSmtpRotationError {}

/**
 * Invalid or missing configuration (environment variables, CLI flags, construct props, CDK context keys).
 * `setting` names what the user must change (e.g. `SMTP_PORT`, `fleet.maxConcurrency`, `smtpPort`) so that a
 * caller can map it to its own vocabulary without parsing the message.
 */
export class ConfigurationError extends SesSmtpRotationError {
  /** The setting (variable, prop, context key or flag) the error is about, when there is one. */
  readonly setting?: string;

  constructor(message: string, options?: { cause?: unknown; setting?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.setting !== undefined) this.setting = options.setting;
  }
}

/** The endpoint host names a different region than the one the password is derived for. */
export class EndpointRegionMismatchError extends SesSmtpRotationError {}

/** A value that would not pass the SSM document's own pattern for `parameter` (SSM would reject the command). */
export class DocumentParameterError extends SesSmtpRotationError {
  constructor(
    readonly parameter: string,
    pattern: string,
  ) {
    super(`SSM document parameter ${parameter} does not match ${pattern}`);
  }
}
