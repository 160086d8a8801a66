import { FleetPushFailedError } from '../fleet-errors';
import { maskKeyId } from '../../core/mask';
import { credentialOf } from '../credential';
import type { RotationDeps, StepContext } from '../deps';
import { RotationStateError } from '../errors';
import { manualGate } from '../manual-wait';
import type { RotationAudit } from '../ports';
import { RETIREMENT_TAGS } from '../retirement';
import { retirementOf } from '../retirement-state';
import { HOUR_MS } from '../retirement-policy';
import { withoutPasswords } from '../../core/secret';

/**
 * finishSecret: push → wait for every host → promote → retire. Re-entrant at every point:
 * - the push is resumable (the fleet finds the command already sent for this version);
 * - with manual consumers registered, it returns without promoting until each confirmed this version (the last
 *   confirmation re-attempts the rotation, which then passes here and promotes);
 * - promotion happens only after every targeted host confirmed (I4), and is skipped when already done;
 * - retirement runs even when the version was already AWSCURRENT (a crash between promotion and retirement
 *   must not leave a leaked key valid until the next rotation);
 * - retirement follows the policy: `immediate` (the installation's, or this rotation's tag) and emergency rotations
 *   delete the old keys here; `staged` leaves them active for the hourly retirement pass. A request tag is cleared
 *   only after the deletions, so a crash in between repeats them (idempotent) instead of forgetting the request.
 */
export async function finishSecret(deps: RotationDeps, ctx: StepContext): Promise<void> {
  const { secrets, keys, fleet, config, log, clock } = deps;
  const { secretArn, event, verdict, deadline } = ctx;
  const version = await secrets.value(secretArn, { versionId: event.token });
  if (!version) {
    throw new RotationStateError(
      `version ${event.token} has no value: createSecret did not complete; Secrets Manager retries from createSecret`,
    );
  }
  const credential = credentialOf(version, 'the version being finished');

  // Even when already promoted: on a first rotation Secrets Manager may have made the first value AWSCURRENT by
  // itself, so "promoted" does not prove the hosts have it. The fleet answers from the earlier command if they do.
  let push;
  try {
    push = await fleet.deliver({ secretArn, versionId: event.token }, deadline);
  } catch (error) {
    if (error instanceof FleetPushFailedError) {
      // One line an operator's "hosts that failed" query finds: version ↔ command ↔ hosts (I8).
      log.error('push failed', {
        event: 'push-failed',
        commandId: error.commandId,
        failedHosts: error.failures.flatMap((f) => f.hostIds),
        failedStates: error.failures.map((f) => `${f.state}: ${f.total}`),
        keyId: maskKeyId(credential.username),
      });
    }
    throw error;
  }
  log.info('every targeted host confirmed the new credential', {
    commandId: push.commandId,
    hostsUpdated: push.hostsUpdated,
    keyId: maskKeyId(credential.username),
  });

  // Manual consumers (issue 14): nothing is promoted, and so nothing retired, until each confirmed this version.
  // While one is pending the step returns without promoting; the old key stays active for everyone. Once promoted,
  // the gate has passed: a retry goes on to retire.
  const manual = await manualGate(deps, secretArn, event.token, verdict.phase === 'promoted');
  if (manual.kind === 'waiting') return;

  if (verdict.phase === 'pending') {
    await secrets.promote(secretArn, event.token, verdict.currentVersionId);
    log.info('promoted the new version to AWSCURRENT', { previousVersionId: verdict.currentVersionId });
  }

  const userKeys = await keys.list(config.iamUserName);
  if (!userKeys.some((k) => k.id === credential.username && k.status === 'Active')) {
    throw new RotationStateError(
      `the new key ${maskKeyId(credential.username)} is missing or inactive on ${config.iamUserName} although every ` +
        'host has it: someone changed it during the rotation. Old keys were NOT retired. Reactivate it or rotate again',
    );
  }
  const retirement = retirementOf(ctx.meta, config.retirement.mode);
  const emergency = retirement === 'emergency';
  const atOnce = retirement !== 'staged';
  const retired: string[] = [];
  const retiring: string[] = [];
  for (const key of userKeys) {
    if (key.id === credential.username) continue;
    if (!atOnce) {
      retiring.push(maskKeyId(key.id));
      continue;
    }
    await keys.delete(config.iamUserName, key.id);
    retired.push(maskKeyId(key.id));
    log.info('retired old access key', { keyId: maskKeyId(key.id), status: key.status, emergency });
  }
  if (retiring.length > 0) {
    log.info('old access key left active for the staged retirement', {
      event: 'old-key-retiring',
      keyIds: retiring,
      deactivateAfterHours: config.retirement.deactivateAfterMs / HOUR_MS,
      deleteAfterHours: config.retirement.deleteAfterMs / HOUR_MS,
    });
  }
  // Cleared only after the deletions: a crash in between repeats them (idempotent) instead of forgetting.
  for (const tag of [RETIREMENT_TAGS.emergency, RETIREMENT_TAGS.immediate]) {
    if (ctx.meta?.tags?.[tag] === undefined) continue;
    await secrets.untag(secretArn, tag);
    log.info("this rotation's retirement request is done: cleared its tag", { tag });
  }

  if (deps.parameterCopy) {
    // After promotion only, and again on every retry: a crash before the copy is repaired by the retry.
    const copied = await deps.parameterCopy.write(credential, version);
    log.info('parameter store copy', { parameter: deps.parameterCopy.name, result: copied });
  }

  const audit: RotationAudit = {
    secretArn,
    versionId: event.token,
    ...(verdict.currentVersionId ? { previousVersionId: verdict.currentVersionId } : {}),
    newKeyId: maskKeyId(credential.username),
    retiredKeyIds: retired,
    ...(retiring.length > 0 ? { retiringKeyIds: retiring } : {}),
    retirement,
    commandId: push.commandId,
    hostsUpdated: push.hostsUpdated,
    region: credential.region,
    endpoint: credential.endpoint,
    ...(credential.additionalRegions?.length && {
      additionalRegions: withoutPasswords(credential).additionalRegions,
    }),
    completedAt: new Date(clock.now()).toISOString(),
    ...(manual.kind === 'confirmed' ? { manualConsumers: manual.confirmed } : {}),
  };
  log.info('rotation completed', { event: 'rotation-completed', ...audit });
  await deps.onCompleted?.(audit, version.createdDate ? clock.now() - version.createdDate.getTime() : undefined);
  await deps.notifier?.rotationSucceeded(audit);
}
