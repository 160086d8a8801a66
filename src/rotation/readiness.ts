/**
 * The refusals of the rotation function as pure checks, shared by the steps and by the operator CLI (`preflight`,
 * `status`), so the advice an operator reads is the function's own decision, word for word.
 */
import { maskKeyId } from '../core/mask';
import { ConfigurationError, SesSmtpRotationError } from '../core/errors';
import { TRUSTED_CA_SETTING, trustedCaValidityProblem } from '../core/trusted-ca';
import { ENV, type RotationConfig } from './config';
import { InvalidEventError, RotationStateError } from './errors';
import { guard } from './guard';
import { reconcileKeys, type ObservedKey, type RecordedKeys } from './reconcile';
import { checkTarget, recordedTarget, type RecordedValue } from './settings';
import { type AccessKeyInfo, type SecretMetadata } from './ports';

/**
 * The function rotates the secret EXPECTED_SECRET_ARN names, and no other.
 * @throws InvalidEventError when `secretId` is another secret
 */
export function assertRotatesSecret(config: RotationConfig, secretId: string): void {
  const expected = config.expectedSecretArn;
  if (expected !== undefined && secretId !== expected) {
    throw new InvalidEventError(
      `this function rotates ${expected} only (EXPECTED_SECRET_ARN) and refuses to act on another secret`,
    );
  }
}

/**
 * The steps that need the SMTP check need its extra CA to be valid now: testSecret logs in with it, and createSecret
 * must not mint a key that testSecret could never prove. Checked here and not at load, so that an expired CA stops
 * rotations only, never finishSecret's push of a tested version or the hourly retirement pass.
 * @throws ConfigurationError naming SMTP_TRUSTED_CA_PEM when a certificate is expired or not yet valid at `now`
 */
export function assertTrustedCaCurrent(config: RotationConfig, now: Date): void {
  const problem = config.trustedCa && trustedCaValidityProblem(config.trustedCa, now);
  if (problem === undefined) return;
  throw new ConfigurationError(
    `environment variable ${ENV.trustedCaPem} ${problem}. The SMTP check cannot trust the endpoint with it, so the ` +
      'rotation stops before any relay receives a new key (createSecret mints none). Put the current CA certificate ' +
      `in ${TRUSTED_CA_SETTING} and deploy; finishing a tested rotation and the retirement pass go on meanwhile`,
    { setting: ENV.trustedCaPem },
  );
}

/**
 * createSecret resumes a pending version only while its key exists and is active.
 * @throws RotationStateError when the pending key is deleted or inactive
 */
export function assertPendingKeyUsable(token: string, keyId: string, key: AccessKeyInfo | undefined): void {
  if (!key || key.status !== 'Active') {
    throw new RotationStateError(
      `the pending version ${token} holds key ${maskKeyId(keyId)}, which is ${key ? key.status : 'deleted'}: ` +
        'this rotation cannot complete. No host has been given it. Cancel it (aws secretsmanager cancel-rotate-secret) ' +
        'and start a new rotation',
    );
  }
}

/** What the CLI knows about a secret, in the terms of the function's checks (no password anywhere). */
export interface SecretFacts {
  readonly meta: SecretMetadata;
  /** The unfinished rotation's version, if AWSPENDING is on a version other than AWSCURRENT. */
  readonly pendingVersionId?: string;
  /** Why the pending version cannot be resumed (the function's own message), when it holds a value that is no credential. */
  readonly pendingRefusal?: string;
  /** Whether the pending version already holds a value (then createSecret mints nothing and checks no target). */
  readonly pendingHasValue: boolean;
  /** What AWSCURRENT records; undefined when it is missing or does not parse (the function then rotates as a first rotation). */
  readonly current?: RecordedValue;
}

/** A version id no secret holds: the token the next RotateSecret would create, for the guard's check. */
const NEXT_TOKEN = 'next-rotation';

/**
 * Why the function would refuse to rotate this secret now — the message of the error its steps would throw — or
 * undefined when it would go on. Runs the same checks in the same order as the steps: the secret and CA checks of
 * `runStep`, the stage guard, the pending version's shape, and `resolveTarget` before a key is minted.
 */
export function functionRefusal(
  config: RotationConfig,
  facts: SecretFacts,
  now: Date = new Date(),
): string | undefined {
  try {
    assertRotatesSecret(config, facts.meta.arn);
    assertTrustedCaCurrent(config, now);
    const token = facts.pendingVersionId ?? NEXT_TOKEN;
    const versionStages = facts.pendingVersionId
      ? facts.meta.versionStages
      : { ...facts.meta.versionStages, [NEXT_TOKEN]: ['AWSPENDING'] };
    guard({ ...facts.meta, versionStages }, token);
    if (facts.pendingRefusal) return facts.pendingRefusal;
    if (!facts.pendingHasValue) checkTarget(config, recordedTarget(facts.current ?? { kind: 'empty' }));
    return undefined;
  } catch (error) {
    if (error instanceof SesSmtpRotationError) return error.message;
    throw error;
  }
}

/** What createSecret will do with the SES user's keys. */
export type KeyPlan =
  | { readonly kind: 'resume'; readonly pendingKey: ObservedKey }
  | { readonly kind: 'mint'; readonly remove: readonly { key: ObservedKey; reason: string }[] }
  | { readonly kind: 'refuse'; readonly problem: string };

/**
 * createSecret's decision about the keys (pure): a pending version holding a credential is resumed when its key is
 * usable (nothing minted, nothing deleted); otherwise the keys are reconciled before a mint.
 */
export function planKeys(
  keys: readonly ObservedKey[],
  recorded: RecordedKeys & { readonly pending?: { readonly versionId: string; readonly keyId: string } },
): KeyPlan {
  if (recorded.pending) {
    const key = keys.find((k) => k.id === recorded.pending?.keyId);
    try {
      assertPendingKeyUsable(recorded.pending.versionId, recorded.pending.keyId, key);
    } catch (error) {
      return { kind: 'refuse', problem: (error as Error).message };
    }
    return { kind: 'resume', pendingKey: key as ObservedKey };
  }
  const plan = reconcileKeys(keys, { current: recorded.current, previous: recorded.previous });
  return plan.ok ? { kind: 'mint', remove: plan.remove } : { kind: 'refuse', problem: plan.problem };
}
