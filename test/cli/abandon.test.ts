/**
 * Crash injection for `rotate --abandon`: for every AWS call an abandon makes, the CLI is killed (or the call fails)
 * just before and just after it; the operator then runs the command again. Every relay must keep a working key at
 * every point, and the rerun must reach the same end state as an uninterrupted run.
 */
import { main } from '../../src/cli/main';
import type { Fault } from '../../src/sandbox/call-recorder';
import { SandboxAccount } from '../../src/sandbox/account';
import { checkInvariants } from '../../src/sandbox/invariants';
import { continueRotation, runRotation } from '../../src/sandbox/rotation-driver';
import { printed, sandboxIo } from './sandbox-cli';

const VARIANTS: Omit<Fault, 'atCall'>[] = [
  { when: 'before', kind: 'crash' },
  { when: 'after', kind: 'crash' },
  { when: 'after', kind: 'throw' },
];

/** A completed rotation, then one whose push failed after some hosts switched to the pending version. */
async function prepare(): Promise<SandboxAccount> {
  const account = new SandboxAccount({ hosts: 3 });
  const probe = { handler: { probe: account.sesProbe() } };
  if (!(await runRotation(account, probe)).succeeded) throw new Error('the first rotation failed');
  const last = account.hosts[2]!;
  last.behaviour = { kind: 'fail', exitCode: 3 };
  if ((await runRotation(account, { ...probe, maxAttempts: 1 })).succeeded) throw new Error('the push did not fail');
  last.behaviour = { kind: 'run' };
  return account;
}

/** Runs the abandon; a crash fault kills it for good, as a killed process (the promise then never settles). */
async function abandon(account: SandboxAccount): Promise<{ code: number | 'crashed'; text: string }> {
  const io = sandboxIo(account);
  let onCrash: () => void = () => undefined;
  const crashed = new Promise<'crashed'>((resolve) => (onCrash = () => resolve('crashed')));
  account.recorder.onCrash(() => onCrash());
  const code = await Promise.race([main(['rotate', '--abandon', '--secret-id', account.secrets.arn], io), crashed]);
  onCrash = () => undefined;
  return { code, text: printed(io) };
}

describe('abandonRotation under crashes', () => {
  it('pushes AWSCURRENT again when a rotation retry pushed the pending version after the abandon push', async () => {
    // Prepare: the abandon push is confirmed, then the CLI dies; Secrets Manager's retry pushes the pending version
    // again (and fails on the last host), so the first two hosts hold the pending key once more.
    const account = await prepare();
    try {
      const pending = account.secrets.versionWithStage('AWSPENDING')!;
      account.recorder.plan({ operation: 'DeleteAccessKey', when: 'before', kind: 'crash' });
      expect((await abandon(account)).code).toBe('crashed');
      account.hosts[2]!.behaviour = { kind: 'fail', exitCode: 3 };
      const retry = await continueRotation(account, pending, {
        maxAttempts: 1,
        handler: { probe: account.sesProbe() },
      });
      expect(retry.succeeded).toBe(false);
      expect(account.installed.get(account.hosts[0]!.instanceId)?.versionId).toBe(pending);
      account.hosts[2]!.behaviour = { kind: 'run' };
      const sent = account.recorder.calls.filter((c) => c.operation === 'SendCommand').length;

      // Act
      const rerun = await abandon(account);

      // Assess
      expect(rerun.code).toBe(0);
      expect(account.recorder.calls.filter((c) => c.operation === 'SendCommand').length).toBe(sent + 1);
      expect(checkInvariants(account, { completed: true, texts: [rerun.text] })).toEqual([]);
    } finally {
      account.restore();
    }
  });

  it('finishes the abandon on a rerun after a crash or failure at any AWS call, every relay always sending', async () => {
    // Prepare: an uninterrupted run tells which calls an abandon makes.
    const reference = await prepare();
    const start = reference.recorder.calls.length;
    expect((await abandon(reference)).code).toBe(0);
    const calls = reference.recorder.calls.slice(start).map((c) => `${c.service}:${c.operation}`);
    const endKeys = reference.iam.keys(reference.userName).map((k) => k.id);
    reference.restore();
    expect(calls).toEqual(expect.arrayContaining(['SSM:SendCommand', 'IAM:DeleteAccessKey', 'SNS:Publish']));

    const failures: string[] = [];
    for (let index = 0; index < calls.length; index += 1) {
      for (const variant of VARIANTS) {
        const label = `${variant.kind} ${variant.when} call ${index} (${calls[index]})`;
        const account = await prepare();
        try {
          // Act: the fault, then the operator's rerun.
          account.recorder.plan({ ...variant, atCall: account.recorder.calls.length + index });
          const first = await abandon(account);
          for (const p of checkInvariants(account, { texts: [first.text] })) failures.push(`${label}: ${p}`);
          const rerun = await abandon(account);

          // Assess
          if (rerun.code !== 0) failures.push(`${label}: the rerun exited ${rerun.code}: ${rerun.text}`);
          for (const p of checkInvariants(account, { completed: true, texts: [first.text, rerun.text] })) {
            failures.push(`${label}: ${p}`);
          }
          const keys = account.iam.keys(account.userName).map((k) => k.id);
          if (keys.join() !== endKeys.join())
            failures.push(`${label}: keys ${keys.join()} instead of ${endKeys.join()}`);
        } finally {
          account.restore();
        }
      }
    }
    expect(failures).toEqual([]);
    process.stdout.write(`abandon crash injection: ${calls.length * VARIANTS.length} fault scenarios\n`);
  }, 300_000);
});
