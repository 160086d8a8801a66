import { main } from '../../src/cli/main';
import { SandboxAccount } from '../../src/sandbox/account';
import { runRotation } from '../../src/sandbox/rotation-driver';
import { sandboxIo } from './sandbox-cli';

const DAY = 86_400_000;
const ALICE = 'arn:aws:sts::111122223333:assumed-role/MailOps/alice';

async function parked() {
  const account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', registry: true });
  account.manual.register('scanner');
  account.manual.register('appliance');
  const run = await runRotation(account, { handler: { probe: account.sesProbe() } });
  account.callerArn = ALICE;
  await main(
    ['confirm', '--secret-id', account.secrets.arn, '--consumer', 'scanner', '--note', 'CHG-7'],
    sandboxIo(account),
  );
  return { account, token: run.token };
}

const status = async (account: SandboxAccount, json = false) => {
  const io = sandboxIo(account);
  const code = await main(['status', '--secret-id', account.secrets.arn, ...(json ? ['--json'] : [])], io);
  return { code, io };
};

describe('status of manual consumers', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('shows a rotation waiting for people as in progress, with who confirmed, when and the note', async () => {
    // Prepare
    const p = await parked();
    account = p.account;

    // Act
    const text = await status(account);
    const json = await status(account, true);

    // Assess
    expect(text.code).toBe(0);
    expect(text.io.out()).toContain('State: a rotation is in progress');
    expect(text.io.out()).toMatch(/appliance\s+PENDING/);
    expect(text.io.out()).toMatch(new RegExp(`scanner\\s+confirmed\\s+by ${ALICE}.*CHG-7`));
    expect(text.io.out()).toContain('credential show --secret-id');
    const doc = JSON.parse(json.io.out()) as { manualConsumers: { versionId: string; consumers: unknown[] } };
    expect(doc.manualConsumers.versionId).toBe(p.token);
    expect(doc.manualConsumers.consumers).toEqual([
      {
        name: 'appliance',
        owner: 'appliance-team@example.com',
        state: 'pending',
        confirmedBy: null,
        confirmedAt: null,
        note: null,
      },
      expect.objectContaining({ name: 'scanner', state: 'confirmed', confirmedBy: ALICE, note: 'CHG-7' }),
    ]);
  });

  it('needs attention once the wait is longer than the alarm threshold', async () => {
    const p = await parked();
    account = p.account;
    account.clock.advance(8 * DAY);

    const text = await status(account);

    expect(text.code).toBe(1);
    expect(text.io.out()).toContain('longer than the 7 days allowed');
  });

  it('rotate refuses while the rotation waits for people, naming who is pending and how it goes on', async () => {
    const p = await parked();
    account = p.account;
    const io = sandboxIo(account);

    const code = await main(['rotate', '--secret-id', account.secrets.arn], io);

    expect(code).toBe(1);
    expect(io.err()).toContain('a rotation is in progress: the rotation waits for manual consumers (appliance)');
    expect(io.err()).toContain('--consumer appliance');
    expect(account.secrets.versionWithStage('AWSPENDING')).toBe(p.token);
  });

  it('rotate falls back to the generic advice when the registry cannot be read', async () => {
    const p = await parked();
    account = p.account;
    account.recorder.deny('DynamoDB:Query');
    account.recorder.deny('DynamoDB:GetItem');
    const io = sandboxIo(account);

    const code = await main(['rotate', '--secret-id', account.secrets.arn], io);

    expect(code).toBe(1);
    expect(io.err()).toContain('a previous rotation is not complete');
    expect(io.err()).not.toContain('manual consumers');
    expect(account.recorder.calls.filter((c) => c.operation === 'RotateSecret')).toHaveLength(0);
  });
});
