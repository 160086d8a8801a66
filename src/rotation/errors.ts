import { SesSmtpRotationError } from '../core/errors';

/** The secret's staging labels or rotation state do not allow this step (wrong token, rotation disabled…). */
export class RotationStateError extends SesSmtpRotationError {}

/** The IAM user holds keys the secret does not explain and that cannot be removed safely. */
export class KeyReconciliationError extends SesSmtpRotationError {}

/** The event Secrets Manager sent is malformed, or names another secret than the configured one. */
export class InvalidEventError extends SesSmtpRotationError {}
