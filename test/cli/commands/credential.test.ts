import { main } from '../../../src/cli/main';
import { SandboxAccount } from '../../../src/sandbox/account';
import { runRotation } from '../../../src/sandbox/rotation-driver';
import { printed, sandboxIo } from '../sandbox-cli';

async function parked() {
  const account = new SandboxAccount({ hosts: 1, initialSecret: 'settings', registry: true });
  account.manual.register('scanner');
  const run = await runRotation(account, { handler: { probe: account.sesProbe() } });
  return { account, token: run.token };
}

const show = async (account: SandboxAccount, terminal: boolean, ...flags: string[]) => {
  const io = sandboxIo(account);
  Object.assign(io.stdout, { isTTY: terminal });
  const code = await main(['credential', 'show', '--secret-id', account.secrets.arn, ...flags], io);
  return { code, io };
};

/** The password of the pending version, as the sandbox minted it. */
const pendingPassword = (account: SandboxAccount, token: string) =>
  (JSON.parse(account.secrets.peekValue(token) ?? '{}') as { password: string }).password;

describe('credential show', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('prints the pending credential with --pending --reveal, and logs nothing', async () => {
    // Prepare
    const p = await parked();
    account = p.account;
    const logsBefore = account.logs.length;

    // Act
    const result = await show(account, true, '--pending', '--reveal');

    // Assess
    expect(result.code).toBe(0);
    expect(result.io.out()).toContain(`Password:   ${pendingPassword(account, p.token)}`);
    expect(result.io.err()).toBe('');
    expect(account.logs.length).toBe(logsBefore);
  });

  it('refuses without --reveal, on a terminal and, saying so, on a pipe; no secret is read', async () => {
    const p = await parked();
    account = p.account;
    const callsBefore = account.recorder.calls.length;

    const tty = await show(account, true, '--pending');
    const pipe = await show(account, false, '--pending');

    expect(tty.code).toBe(2);
    expect(tty.io.err()).toContain('refusing to print a password without --reveal');
    expect(pipe.code).toBe(2);
    expect(pipe.io.err()).toContain('stdout is not a terminal');
    expect(account.recorder.calls.length).toBe(callsBefore);
    expect(printed(tty.io) + printed(pipe.io)).not.toContain(pendingPassword(account, p.token));
  });

  it('prints to a pipe only with --reveal, with a warning on stderr', async () => {
    const p = await parked();
    account = p.account;

    const result = await show(account, false, '--pending', '--reveal');

    expect(result.code).toBe(0);
    expect(result.io.err()).toContain('warning: stdout is not a terminal');
    expect(result.io.err()).not.toContain(pendingPassword(account, p.token));
  });

  it('refuses when nothing is pending', async () => {
    account = new SandboxAccount({ hosts: 1, initialSecret: 'settings' });
    await runRotation(account, { handler: { probe: account.sesProbe() } });

    const result = await show(account, true, '--pending', '--reveal');

    expect(result.code).toBe(1);
    expect(result.io.err()).toContain('nothing is pending');
    expect(result.io.out()).toBe('');
  });

  it('is a usage error without --pending', async () => {
    account = new SandboxAccount({ hosts: 1 });

    const result = await show(account, true, '--reveal');

    expect(result.code).toBe(2);
    expect(result.io.err()).toContain('only the pending version');
  });
});

describe('credential show before createSecret stored a value', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('says the pending version holds no credential yet, not that the secret is missing', async () => {
    // Prepare: a rotation started, its AWSPENDING version without a value (as Secrets Manager creates it).
    account = new SandboxAccount({ hosts: 1, initialSecret: 'settings', registry: true });
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    account.secrets.rotateSecret({ SecretId: account.secrets.arn });

    // Act
    const { code, io } = await show(account, true, '--pending', '--reveal');

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toContain('holds no credential yet');
    expect(io.err()).not.toContain('does not exist');
  });
});
