/**
 * Host failures and timeouts during the push, at the level of a whole rotation: nothing is promoted, the old key
 * stays valid and every host can still send; the failing host is named; a retry after the fix completes.
 */
import { DeleteAccessKeyCommand } from '@aws-sdk/client-iam';
import { UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { SendCommandCommand } from '@aws-sdk/client-ssm';
import { SandboxAccount } from '../../src/sandbox/account';
import { checkInvariants } from '../../src/sandbox/invariants';
import { continueRotation, runRotation, type RotationRun } from '../../src/sandbox/rotation-driver';
import { sent } from '../sandbox/sent-commands';

function lastError(run: RotationRun): string {
  return run.invocations.filter((i) => i.error).at(-1)?.error?.message ?? '';
}

describe('rotation under fleet faults', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  const rotate = (options: Parameters<typeof runRotation>[1] = {}) =>
    runRotation(account, { maxAttempts: 3, handler: { probe: account.sesProbe() }, ...options });

  it('keeps the old key and names the host when one host fails, then completes after the fix', async () => {
    account = new SandboxAccount({ hosts: 6 });
    const failing = account.hosts[4]!;
    failing.behaviour = { kind: 'fail', output: 'ses-smtp-rotation-result status=failed reason=relayhost-mismatch' };
    const failed = await rotate({ onInvocation: () => expect(checkInvariants(account)).toEqual([]) });
    expect(failed.succeeded).toBe(false);
    expect(lastError(failed)).toContain(failing.instanceId);
    expect(lastError(failed)).toContain('old key');
    expect(sent(account, UpdateSecretVersionStageCommand)).toHaveLength(0);
    expect(sent(account, DeleteAccessKeyCommand)).toHaveLength(0);
    failing.behaviour = { kind: 'run' };
    const fixed = await continueRotation(account, failed.token, { handler: { probe: account.sesProbe() } });
    expect(fixed.succeeded).toBe(true);
    expect(checkInvariants(account, { completed: true })).toEqual([]);
  });

  it('resumes the same command after the Lambda timed out while hosts were still updating', async () => {
    // 4 hosts one at a time (10%), 6 minutes each: 24 minutes, longer than one 15-minute invocation. The delivery
    // timeout counts from SendCommand for every host, so it must cover the whole rate-limited rollout.
    account = new SandboxAccount({ hosts: 4, hostDurationMs: 360_000 });
    const run = await rotate({ env: { FLEET_DELIVERY_TIMEOUT_SECONDS: '3600' } });
    expect(run.succeeded).toBe(true);
    expect(run.attempts).toBeGreaterThan(1);
    expect(run.invocations.some((i) => i.error?.message.includes('will resume'))).toBe(true);
    expect(sent(account, SendCommandCommand)).toHaveLength(1);
    expect(checkInvariants(account, { completed: true })).toEqual([]);
  });

  it('names the hosts whose turn came after the delivery timeout, and promotes nothing', async () => {
    account = new SandboxAccount({ hosts: 4, hostDurationMs: 360_000 });
    const run = await rotate({ maxAttempts: 2 });
    expect(run.succeeded).toBe(false);
    expect(lastError(run)).toContain('Delivery Timed Out');
    expect(checkInvariants(account)).toEqual([]);
  });

  it('treats an offline host as a failure, not as done', async () => {
    account = new SandboxAccount({ hosts: 3 });
    account.hosts[1]!.online = false;
    const run = await rotate({ maxAttempts: 1 });
    expect(run.succeeded).toBe(false);
    expect(lastError(run)).toContain(account.hosts[1]!.instanceId);
    expect(checkInvariants(account)).toEqual([]);
    expect(account.iam.keys(account.userName)).toHaveLength(2);
  });

  it('fails clearly when no host carries the tag, and promotes nothing', async () => {
    account = new SandboxAccount({ hosts: 3 });
    const run = await rotate({ maxAttempts: 1, env: { FLEET_TARGET_TAGS: 'Role=no-such-relay' } });
    expect(run.succeeded).toBe(false);
    expect(lastError(run)).toMatch(/no managed node/i);
    expect(sent(account, UpdateSecretVersionStageCommand)).toHaveLength(0);
  });

  it('names a failing host on a later page of a 60-host fleet and deletes nothing', async () => {
    account = new SandboxAccount({ hosts: 60, hostDurationMs: 5_000 });
    const failing = account.hosts[57]!;
    failing.behaviour = { kind: 'fail' };
    const run = await rotate({ maxAttempts: 1, env: { FLEET_MAX_CONCURRENCY: '100%', FLEET_MAX_ERRORS: '100%' } });
    expect(run.succeeded).toBe(false);
    expect(lastError(run)).toContain(failing.instanceId);
    expect(sent(account, DeleteAccessKeyCommand)).toHaveLength(0);
    expect(sent(account, UpdateSecretVersionStageCommand)).toHaveLength(0);
    expect(checkInvariants(account)).toEqual([]);
  });
});
