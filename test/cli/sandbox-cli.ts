import type { CliRuntime, RuntimeIo } from '../../src/cli/runtime';
import type { SandboxAccount } from '../../src/sandbox/account';
import { continueRotation, type DriverOptions, type RotationRun } from '../../src/sandbox/rotation-driver';
import { fakeIo, type FakeIo } from './fake-io';

/** A fake io whose commands run against the sandbox account, in its virtual time, with no network. */
export function sandboxIo(account: SandboxAccount, runtime: Partial<CliRuntime> = {}): FakeIo & RuntimeIo {
  return Object.assign(fakeIo('', {}), {
    runtime: {
      clock: account.clock,
      pollIntervalMs: 5_000,
      resolve: async () => ['192.0.2.10'],
      checkSmtp: async () => ({ ok: true, detail: 'SMTP greeting and EHLO answered, STARTTLS offered' }),
      ...runtime,
    },
  });
}

/**
 * Makes RotateSecret run the rotation in the background, as Secrets Manager invokes the Lambda; `settled` waits for
 * every started run (call it before `account.restore()`, or a late run would reach the real SDK).
 */
export function rotateOnRequest(
  account: SandboxAccount,
  options: DriverOptions = {},
): { settled(): Promise<RotationRun[]> } {
  const runs: Promise<RotationRun>[] = [];
  account.secrets.rotationRunner = async (token) => {
    const run = continueRotation(account, token, { handler: { probe: account.sesProbe() }, ...options });
    runs.push(run);
    await run;
  };
  return { settled: () => Promise.all(runs) };
}

/** Everything a command printed. */
export function printed(io: FakeIo): string {
  return `${io.out()}\n${io.err()}`;
}

/** The secret values of the account that appear in a text (expected: none). */
export function leakedSecrets(account: SandboxAccount, text: string): string[] {
  return account.secretValues().filter((value) => text.includes(value));
}
