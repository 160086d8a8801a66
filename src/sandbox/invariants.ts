import { tryParseSecretValue } from '../core/secret';
import type { SandboxAccount } from './account';

/**
 * Checks the safety invariants of the design (I1–I7) against the sandbox's state and returns the violations,
 * each as a sentence; an empty list means all hold. `completed` adds the end-of-rotation checks.
 */
export function checkInvariants(
  account: SandboxAccount,
  options: { completed?: boolean; texts?: readonly string[] } = {},
): string[] {
  // Under the staged policy a completed rotation leaves the old key for the retirement pass.
  const staged = account.retirement === 'staged';
  const problems: string[] = [];
  const keys = account.iam.keys(account.userName);
  // I1: every host's configured credential authenticates.
  for (const host of account.hosts) {
    if (!account.hostCanSend(host.instanceId))
      problems.push(`I1: ${host.instanceId} holds a credential that does not authenticate`);
  }
  for (const name of account.manual.installed.keys()) {
    if (!account.manual.canSend(name))
      problems.push(`I1: manual consumer ${name} holds a credential that does not authenticate`);
  }
  // I2: never more than two keys; exactly one active after a completed rotation.
  if (keys.length > 2) problems.push(`I2: the user has ${keys.length} keys`);
  if (options.completed && !staged && (keys.length !== 1 || keys[0]?.status !== 'Active')) {
    problems.push(`I2: after the rotation the user has ${keys.length} keys instead of one active key`);
  }
  // I3: AWSCURRENT (once it is a credential) names an existing, active key.
  const currentId = account.secrets.versionWithStage('AWSCURRENT');
  const currentValue = currentId ? account.secrets.peekValue(currentId) : undefined;
  const current = currentValue ? tryParseSecretValue(currentValue) : undefined;
  if (
    current?.kind === 'credential' &&
    !keys.some((k) => k.id === current.credential.username && k.status === 'Active')
  ) {
    problems.push('I3: AWSCURRENT holds a credential whose key is missing or inactive');
  }
  // I4: AWSCURRENT moved only after every host held the version (checked at the moment of the move).
  problems.push(...account.promotionViolations.map((v) => `I4: ${v}`));
  if (options.completed) {
    // I5: AWSPENDING is on the AWSCURRENT version or on none.
    const pending = account.secrets.versionWithStage('AWSPENDING');
    if (pending !== undefined && pending !== currentId)
      problems.push('I5: AWSPENDING is left on a version that is not AWSCURRENT');
    // Every host holds AWSCURRENT.
    for (const host of account.hosts) {
      if (account.installed.get(host.instanceId)?.versionId !== currentId)
        problems.push(`${host.instanceId} does not hold AWSCURRENT`);
    }
  }
  // I6: no secret value in any log line, error or notification.
  const texts = [
    ...(options.texts ?? []),
    ...account.retirementMetrics.map((m) => JSON.stringify(m)),
    ...account.logs.map((l) => JSON.stringify(l)),
    ...account.notifications.map((n) => JSON.stringify(n)),
    ...account.dynamodb.dump().map((t) => JSON.stringify(t.items)),
  ];
  // PutParameter is the configured SecureString copy: the one SSM call that is meant to carry the credential.
  const ssmInputs = account.recorder.calls
    .filter((c) => c.service === 'SSM' && c.operation !== 'PutParameter')
    .map((c) => JSON.stringify(c.input));
  for (const secret of account.secretValues()) {
    if (texts.some((t) => t.includes(secret)))
      problems.push('I6: a secret value appears in a log line, error, notification or DynamoDB item');
    if (ssmInputs.some((t) => t.includes(secret))) problems.push('I6: a secret value appears in an SSM call');
  }
  // The Parameter Store copy, when configured, holds AWSCURRENT after a completed rotation.
  const copyName = account.env().PARAMETER_STORE_NAME;
  if (options.completed && copyName) {
    const stored = account.parameters.peek(copyName)?.value;
    const copied = stored ? (JSON.parse(stored) as { versionId?: string }).versionId : undefined;
    if (copied !== currentId) problems.push(`the Parameter Store copy holds ${copied ?? 'nothing'}, not AWSCURRENT`);
  }
  // I7: a key that reached no version of the secret does not survive a completed rotation.
  if (options.completed) {
    const stored = new Set(
      account.secrets
        .listSecretVersionIds({ SecretId: account.secrets.arn, IncludeDeprecated: true })
        .Versions?.map((v) => account.secrets.peekValue(v.VersionId ?? ''))
        .map((v) => (v ? tryParseSecretValue(v) : undefined))
        .flatMap((v) => (v?.kind === 'credential' ? [v.credential.username] : [])),
    );
    // A key older than the AWSCURRENT version is the retiring key of a staged retirement, not an orphan.
    const currentCreated = account.secrets
      .listSecretVersionIds({ SecretId: account.secrets.arn })
      .Versions?.find((v) => v.VersionId === currentId)?.CreatedDate;
    const orphanCandidates = staged
      ? keys.filter((k) => currentCreated === undefined || k.created.getTime() >= currentCreated.getTime())
      : keys;
    for (const key of orphanCandidates)
      if (!stored.has(key.id)) problems.push('I7: a key minted but never stored survived the rotation');
  }
  return [...new Set(problems)];
}

/** A key as it was before a retirement pass (status and last use). */
export interface KeySnapshot {
  readonly id: string;
  readonly status: string;
  readonly lastUsed?: Date;
}

/** The user's keys now, for {@link checkRetirementPass}. */
export function snapshotKeys(account: SandboxAccount): KeySnapshot[] {
  return account.iam
    .keys(account.userName)
    .map((k) => ({ id: k.id, status: k.status, ...(k.lastUsed ? { lastUsed: k.lastUsed } : {}) }));
}

/**
 * The retirement invariants around one pass (or a rotation started while a key retires): never more than two keys;
 * the AWSCURRENT key stays active; a key used after the push confirmation is neither deactivated nor deleted by a
 * routine (non-emergency, hold) retirement; plus I1–I6 through {@link checkInvariants}.
 */
export function checkRetirementPass(
  account: SandboxAccount,
  before: readonly KeySnapshot[],
  options: { confirmedAt?: Date; routine: boolean; texts?: readonly string[] },
): string[] {
  const problems = checkInvariants(account, { texts: options.texts ?? [] });
  const after = account.iam.keys(account.userName);
  if (options.routine && options.confirmedAt) {
    for (const key of before) {
      if (!key.lastUsed || key.lastUsed.getTime() <= options.confirmedAt.getTime()) continue;
      const now = after.find((k) => k.id === key.id);
      if (!now) problems.push('R1: a key used after the push confirmation was deleted by a routine retirement');
      else if (key.status === 'Active' && now.status !== 'Active')
        problems.push('R1: a key used after the push confirmation was deactivated by a routine retirement');
    }
  }
  return [...new Set(problems)];
}
