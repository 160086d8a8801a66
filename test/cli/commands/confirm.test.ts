import { main } from '../../../src/cli/main';
import { SandboxAccount } from '../../../src/sandbox/account';
import { checkInvariants } from '../../../src/sandbox/invariants';
import { runRotation } from '../../../src/sandbox/rotation-driver';
import { leakedSecrets, printed, rotateOnRequest, sandboxIo } from '../sandbox-cli';

const ALICE = 'arn:aws:sts::111122223333:assumed-role/MailOps/alice';
const BOB = 'arn:aws:sts::111122223333:assumed-role/MailOps/bob';

/** A rotation parked on two manual consumers registered through the CLI. */
async function parked(names = ['scanner', 'mainframe-gw']) {
  const account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', registry: true });
  for (const name of names) {
    const code = await main(
      ['consumers', 'add', '--secret-id', account.secrets.arn, '--consumer', name],
      sandboxIo(account),
    );
    if (code !== 0) throw new Error(`setup: consumers add ${name}`);
    account.manual.hold(name);
  }
  const runner = rotateOnRequest(account);
  const run = await runRotation(account, { handler: { probe: account.sesProbe() } });
  return { account, runner, token: run.token };
}

const confirm = (account: SandboxAccount, consumer: string, ...extra: string[]) => {
  const io = sandboxIo(account);
  return main(['confirm', '--secret-id', account.secrets.arn, '--consumer', consumer, ...extra], io).then((code) => ({
    code,
    io,
  }));
};

describe('confirm', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('records who confirmed, and the last confirmation resumes the rotation, which promotes', async () => {
    // Prepare
    const p = await parked();
    account = p.account;

    // Act
    account.manual.switchTo('scanner', p.token);
    account.manual.switchTo('mainframe-gw', p.token);
    account.callerArn = ALICE;
    const first = await confirm(account, 'scanner', '--note', 'CHG-1');
    const promotedAfterFirst = account.secrets.versionWithStage('AWSCURRENT') === p.token;
    account.callerArn = BOB;
    const second = await confirm(account, 'mainframe-gw', '--json');
    await p.runner.settled();

    // Assess
    expect(first.code).toBe(0);
    expect(first.io.out()).toContain('still pending: mainframe-gw');
    expect(promotedAfterFirst).toBe(false);
    expect(second.code).toBe(0);
    const doc = JSON.parse(second.io.out()) as { confirmedBy: string; pending: string[]; resumed: boolean };
    expect(doc).toMatchObject({ confirmedBy: BOB, pending: [], resumed: true });
    expect(account.secrets.versionWithStage('AWSCURRENT')).toBe(p.token);
    const done = account.notifications.at(-1)?.message ?? '';
    expect(done).toContain(`scanner: ${ALICE}`);
    expect(done).toContain(`mainframe-gw: ${BOB}`);
    expect(checkInvariants(account, { completed: true, texts: [printed(first.io), printed(second.io)] })).toEqual([]);
  });

  it('refuses a second confirmation of the same consumer and version, changing nothing', async () => {
    const p = await parked();
    account = p.account;
    await confirm(account, 'scanner');
    const before = JSON.stringify(account.dynamodb.dump());

    const again = await confirm(account, 'scanner');

    expect(again.code).toBe(1);
    expect(again.io.err()).toContain(`"scanner" already confirmed version ${p.token}`);
    expect(JSON.stringify(account.dynamodb.dump())).toBe(before);
  });

  it('refuses an unknown consumer, naming the list command', async () => {
    const p = await parked();
    account = p.account;

    const result = await confirm(account, 'scaner');

    expect(result.code).toBe(1);
    expect(result.io.err()).toContain('no manual consumer named "scaner" is registered');
    expect(result.io.err()).toContain('consumers list');
  });

  it('refuses when nothing is pending', async () => {
    account = new SandboxAccount({ hosts: 1, initialSecret: 'settings', registry: true });
    await main(['consumers', 'add', '--secret-id', account.secrets.arn, '--consumer', 'scanner'], sandboxIo(account));

    const result = await confirm(account, 'scanner');

    expect(result.code).toBe(1);
    expect(result.io.err()).toContain('nothing is pending');
  });

  it('refuses a name with a control character or over the limit as a usage error, before any AWS call', async () => {
    account = new SandboxAccount({ hosts: 1, registry: true });

    const control = await confirm(account, 'scan\u001b[31mner');
    const long = await confirm(account, 'x'.repeat(65));

    expect(control.code).toBe(2);
    expect(control.io.err()).toContain('control character (U+001B) at position 5');
    expect(long.code).toBe(2);
    expect(long.io.err()).toContain('65 characters long; the limit is 64');
    expect(account.recorder.calls).toEqual([]);
  });

  it('reports a denied write with the action and the table, and writes nothing', async () => {
    const p = await parked();
    account = p.account;
    account.recorder.deny('DynamoDB:TransactWriteItems');

    const result = await confirm(account, 'scanner');

    expect(result.code).toBe(1);
    expect(result.io.err()).toContain(`dynamodb:TransactWriteItems for table ${account.registryTable}`);
    expect(result.io.err()).toContain('grant dynamodb:TransactWriteItems');
    expect(account.dynamodb.dump()[0]?.items.some((i) => i.sk?.S?.startsWith('confirmation#'))).toBe(false);
  });

  it('names the setting to enable when the function has no registry', async () => {
    account = new SandboxAccount({ hosts: 1 });

    const result = await confirm(account, 'scanner');

    expect(result.code).toBe(1);
    expect(result.io.err()).toContain('MANUAL_CONSUMERS_TABLE is not set');
    expect(leakedSecrets(account, printed(result.io))).toEqual([]);
  });
});

describe('rotate --wait while manual consumers must confirm', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('ends once every host confirmed, naming who must still confirm and how, instead of timing out', async () => {
    // Prepare: one registered consumer; the rotation is started by the CLI.
    account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', registry: true });
    const add = ['consumers', 'add', '--secret-id', account.secrets.arn, '--consumer', 'scanner'];
    expect(await main(add, sandboxIo(account))).toBe(0);
    account.manual.hold('scanner');
    const rotations = rotateOnRequest(account);
    const io = sandboxIo(account);
    const json = sandboxIo(account);

    // Act
    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--wait'], io);
    await rotations.settled();
    const status = await main(['rotate', '--secret-id', account.secrets.arn, '--wait', '--json'], json);

    // Assess: exit 0, the pending consumer named with the confirm command; nothing promoted.
    expect(code).toBe(0);
    expect(io.out()).toMatch(/waiting: every host confirmed; the rotation waits for manual consumers \(scanner\)/);
    expect(io.out()).toContain('ses-smtp-rotation confirm');
    expect(account.secrets.versionWithStage('AWSPENDING')).not.toBe(account.secrets.versionWithStage('AWSCURRENT'));
    expect(status).toBe(1); // a second rotate is refused, naming the same wait
    expect(JSON.parse(json.out()).problems[0]).toMatch(/waits for manual consumers \(scanner\)/);
    expect(leakedSecrets(account, io.out() + io.err() + json.out())).toEqual([]);
  });
});
