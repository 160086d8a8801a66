/**
 * The retirement pass: the rotation function invoked hourly by EventBridge (and by the CLI) with
 * `{"action":"retire","secretId":"<arn>"}`. It deactivates, then deletes, the old key of a staged retirement, and
 * holds it when a consumer the push did not reach still uses it. State comes only from IAM and the secret; every
 * action is one idempotent call, so a crash before or after any call is repaired by the next pass. With nothing
 * due it makes 4 calls: DescribeSecret, GetSecretValue, ListAccessKeys, GetAccessKeyLastUsed.
 */
import { maskKeyId } from '../core/mask';
import { tryParseSecretValue } from '../core/secret';
import type { RotationDeps } from './deps';
import { manualPass, type ManualPassReport } from './manual-pass';
import { HOUR_MS } from './retirement-policy';
import {
  RETIREMENT_TAGS,
  decideRetirement,
  describeUse,
  parseControl,
  type RetirementDecision,
  type RetiringKey,
} from './retirement';
import { confirmationOf, isEmergency, retiringKeys } from './retirement-state';
import { versionWithStage } from './guard';
import { assertRotatesSecret } from './readiness';

/** The event of a retirement pass. */
export interface RetireEvent {
  readonly action: 'retire';
  readonly secretId: string;
}

/** What one pass found and did, per old key (masked ids; for logs, the CLI and tests). */
export interface RetirementReport {
  readonly secretArn: string;
  readonly outcome: 'skipped-rotation-in-progress' | 'nothing-to-retire' | 'unconfirmed' | 'checked';
  readonly keys: readonly {
    readonly keyId: string;
    readonly status: string;
    readonly decision: RetirementDecision;
  }[];
  /** The rotation's wait for manual consumers, when it waits for them. */
  readonly manual?: ManualPassReport;
}

/**
 * Runs one pass over the configured secret.
 * @throws InvalidEventError when the event names another secret than the configured one
 */
export async function runRetirementPass(deps: RotationDeps, event: RetireEvent): Promise<RetirementReport> {
  const { secrets, keys, config, log, clock } = deps;
  assertRotatesSecret(config, event.secretId);
  const meta = await secrets.describe(event.secretId);
  const secretArn = meta.arn;
  const now = clock.now();
  const hoursSinceLastRotation = meta.lastRotatedDate ? (now - meta.lastRotatedDate.getTime()) / HOUR_MS : undefined;
  const gauges = { oldKeyInUse: 0, oldKeyActiveHours: 0, hoursSinceLastRotation };
  const report = async (
    outcome: RetirementReport['outcome'],
    found: RetirementReport['keys'] = [],
    manual?: ManualPassReport,
  ): Promise<RetirementReport> => {
    await deps.onRetirementPass?.(manual ? { ...gauges, manualConsumersWaitingDays: manual.waitingDays } : gauges);
    return { secretArn, outcome, keys: found, ...(manual ? { manual } : {}) };
  };

  const currentVersionId = versionWithStage(meta, 'AWSCURRENT');
  const pendingVersionId = versionWithStage(meta, 'AWSPENDING');
  if (pendingVersionId !== undefined && pendingVersionId !== currentVersionId) {
    // createSecret frees the slot itself; touching keys now could race the rotation's own reconciliation.
    log.info('a rotation is in progress; the retirement pass leaves the keys alone', { pendingVersionId });
    return report('skipped-rotation-in-progress', [], await manualPass(deps, secretArn, pendingVersionId));
  }
  const current = currentVersionId ? await secrets.value(secretArn, { versionId: currentVersionId }) : undefined;
  const parsed = current ? tryParseSecretValue(current.secretString) : undefined;
  if (parsed?.kind !== 'credential' || !current) {
    log.info('AWSCURRENT holds no credential yet (no completed rotation): nothing to retire');
    return report('nothing-to-retire');
  }
  const currentKeyId = parsed.credential.username;
  const userKeys = await keys.list(config.iamUserName);
  const confirmedAt = confirmationOf(meta, current);
  if (!confirmedAt && userKeys.some((k) => k.id !== currentKeyId)) {
    log.warn('AWSCURRENT is newer than the last completed rotation: old keys are not retired until one completes', {
      versionId: currentVersionId,
    });
    return report('unconfirmed');
  }
  const { retiring, unexplained } = retiringKeys(userKeys, currentKeyId, confirmedAt);
  for (const key of unexplained) {
    log.warn('key newer than the last completed rotation and not in AWSCURRENT: not retired by the pass', {
      keyId: maskKeyId(key.id),
      status: key.status,
    });
  }
  if (retiring.length === 0 || !confirmedAt) {
    if (meta.tags?.[RETIREMENT_TAGS.heldAlerted] !== undefined) {
      await secrets.untag(secretArn, RETIREMENT_TAGS.heldAlerted);
    }
    return report('nothing-to-retire');
  }

  const found: RetirementReport['keys'][number][] = [];
  for (const info of retiring) {
    const lastUse = await keys.lastUse(info.id);
    const key: RetiringKey = { ...info, ...(lastUse ? { lastUse } : {}) };
    const control = parseControl(meta.tags?.[RETIREMENT_TAGS.control], key.id);
    const decision = decideRetirement({
      key,
      confirmedAt,
      policy: config.retirement,
      now,
      emergency: isEmergency(meta),
      control,
    });
    found.push({ keyId: maskKeyId(key.id), status: key.status, decision });
    if (key.status === 'Active' && decision.action !== 'delete' && decision.action !== 'deactivate') {
      gauges.oldKeyActiveHours = Math.max(gauges.oldKeyActiveHours, (now - confirmedAt.getTime()) / HOUR_MS);
    }
    await act(deps, { secretArn, key, decision, alerted: meta.tags?.[RETIREMENT_TAGS.heldAlerted], gauges });
  }
  return report('checked', found);
}

interface ActInput {
  readonly secretArn: string;
  readonly key: RetiringKey;
  readonly decision: RetirementDecision;
  readonly alerted: string | undefined;
  readonly gauges: { oldKeyInUse: number };
}

async function act(deps: RotationDeps, input: ActInput): Promise<void> {
  const { keys, secrets, config, log, notifier } = deps;
  const { secretArn, key, decision } = input;
  const keyId = maskKeyId(key.id);
  switch (decision.action) {
    case 'wait':
      log.info('old key retiring', { keyId, stage: decision.stage, nextStepAt: decision.until.toISOString() });
      return;
    case 'paused':
      log.info('old key reactivated by an operator: retirement waits for "retire --resume"', { keyId });
      return;
    case 'hold': {
      input.gauges.oldKeyInUse = 1;
      const use = decision.lastUse;
      log.warn('old-key-in-use', {
        event: 'old-key-in-use',
        keyId,
        status: key.status,
        lastUsed: use.date.toISOString(),
        service: use.service ?? 'unknown',
        region: use.region ?? 'unknown',
      });
      if (input.alerted === key.id) return;
      await notifier?.retirement?.({
        secretArn,
        event: 'old-key-in-use',
        keyId,
        summary: `A consumer the push did not reach still uses the old SES SMTP key ${keyId}; it is held (${key.status}), not retired.`,
        details: [
          `${describeUse(key.id, use)}, after every targeted host confirmed the new key.`,
          'What to do: find the consumer (CloudTrail or the relay logs of that time), give it the current credential,',
          `then run: ses-smtp-rotation retire --secret-id ${secretArn} --resume (retirement goes on from now);`,
          `or, if the key leaked: ses-smtp-rotation retire --secret-id ${secretArn} --now (deletes it at once).`,
          'See the README runbook entry "a consumer still uses the old key".',
        ],
      });
      // One alert per held key: the next passes only log and count.
      await secrets.tag(secretArn, RETIREMENT_TAGS.heldAlerted, key.id);
      return;
    }
    case 'deactivate':
      await keys.setStatus(config.iamUserName, key.id, 'Inactive');
      log.info('deactivated old access key', { event: 'old-key-deactivated', keyId });
      await notifier?.retirement?.({
        secretArn,
        event: 'deactivated',
        keyId,
        summary: `The old SES SMTP key ${keyId} was deactivated (staged retirement).`,
        details: [
          'Rollback, if a consumer breaks: ses-smtp-rotation retire --secret-id <secret> --reactivate',
          'It is deleted after the deletion window unless reactivated.',
        ],
      });
      return;
    case 'delete':
      await keys.delete(config.iamUserName, key.id);
      log.info('deleted old access key', { event: 'old-key-deleted', keyId, reason: decision.reason });
      await notifier?.retirement?.({
        secretArn,
        event: 'deleted',
        keyId,
        summary: `The old SES SMTP key ${keyId} was deleted (${decision.reason}).`,
        details: ['The SES user now holds only the key in AWSCURRENT.'],
      });
      if (input.alerted === key.id) await secrets.untag(secretArn, RETIREMENT_TAGS.heldAlerted);
  }
}
