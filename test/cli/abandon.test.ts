/**
 * Crash injection for `rotate --abandon`: for every AWS call an abandon makes, the CLI is killed (or the call fails)
 * just before and just after it; the operator then runs the command again. Every relay must keep a working key at
 * every point, and the rerun must reach the same end state as an uninterrupted run.
 */
import { main } from '../../src/cli/main';
import type { Fault } from '../../src/sandbox/call-recorder';
import { SandboxAccount } from '../../src/sandbox/account';
import { checkInvariants } from '../../src/sandbox/invariants';
import { runRotation } from '../../src/sandbox/rotation-driver';
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
