import type { CliRuntime, RuntimeIo } from '../../src/cli/runtime';
import { SandboxAccount, type SandboxOptions } from '../../src/sandbox/account';
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

/**
 * A test's cleanup: first the background rotations settle, then the account is restored (the other way round, a
 * late run would reach the real SDK). Either may be missing when the test failed early.
 */
export async function settleThenRestore(
  account: SandboxAccount | undefined,
  rotations: { settled(): Promise<unknown> } | undefined,
): Promise<void> {
  await rotations?.settled();
  account?.restore();
}

/**
 * One sandbox per test of the describe block that calls it, cleaned up after each test. `start` makes the account,
 * its io, and (unless `rotations: false`: nobody runs them) the background rotations RotateSecret starts.
 */
export function sandboxPerTest(): {
  start(options?: SandboxOptions & { rotations?: DriverOptions | false }): {
    account: SandboxAccount;
    io: FakeIo & RuntimeIo;
  };
} {
  let account: SandboxAccount | undefined;
  let rotations: { settled(): Promise<unknown> } | undefined;
  afterEach(async () => {
    await settleThenRestore(account, rotations);
    account = rotations = undefined;
  });
  return {
    start: ({ rotations: driver = {}, ...options } = {}) => {
      const started = new SandboxAccount(options);
      account = started;
      rotations = driver === false ? undefined : rotateOnRequest(started, driver);
      return { account: started, io: sandboxIo(started) };
    },
  };
}

/** Everything a command printed. */
export function printed(io: FakeIo): string {
  return `${io.out()}\n${io.err()}`;
}

/** The secret values of the account that appear in a text (expected: none). */
export function leakedSecrets(account: SandboxAccount, text: string): string[] {
  return account.secretValues().filter((value) => text.includes(value));
}
