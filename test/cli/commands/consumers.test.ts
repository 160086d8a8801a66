import { main } from '../../../src/cli/main';
import { SandboxAccount } from '../../../src/sandbox/account';
import { sandboxIo } from '../sandbox-cli';

const run = async (account: SandboxAccount, ...args: string[]) => {
  const io = sandboxIo(account);
  const code = await main(['consumers', ...args, '--secret-id', account.secrets.arn], io);
  return { code, io };
};

describe('consumers', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('adds, lists and removes consumers, recording who changed what in an audit item', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 1, registry: true });
    account.callerArn = 'arn:aws:sts::111122223333:assumed-role/MailOps/carol';

    // Act
    const added = await run(
      account,
      'add',
      '--consumer',
      'scanner',
      '--owner',
      'ops@bank.example',
      '--note',
      'floor 3',
    );
    await run(account, 'add', '--consumer', 'appliance');
    const listed = await run(account, 'list', '--json');
    const removed = await run(account, 'remove', '--consumer', 'appliance');
    const after = await run(account, 'list');

    // Assess
    expect(added.code).toBe(0);
    const doc = JSON.parse(listed.io.out()) as { consumers: { name: string; owner?: string; addedBy: string }[] };
    expect(doc.consumers.map((c) => c.name)).toEqual(['appliance', 'scanner']);
    expect(doc.consumers[1]).toMatchObject({ owner: 'ops@bank.example', addedBy: account.callerArn });
    expect(removed.code).toBe(0);
    expect(after.io.out()).toContain('scanner');
    expect(after.io.out()).not.toContain('appliance');
    const changes = account.dynamodb.dump()[0]?.items.filter((i) => i.sk?.S?.startsWith('change#')) ?? [];
    expect(changes.map((i) => `${i.action?.S} ${i.name?.S} ${i.by?.S}`)).toEqual([
      `add scanner ${account.callerArn}`,
      `add appliance ${account.callerArn}`,
      `remove appliance ${account.callerArn}`,
    ]);
  });

  it('refuses a duplicate name and the removal of an unknown one, changing nothing', async () => {
    account = new SandboxAccount({ hosts: 1, registry: true });
    await run(account, 'add', '--consumer', 'scanner');
    const before = JSON.stringify(account.dynamodb.dump());

    const duplicate = await run(account, 'add', '--consumer', 'scanner');
    const unknown = await run(account, 'remove', '--consumer', 'nobody');

    expect(duplicate.code).toBe(1);
    expect(duplicate.io.err()).toContain('"scanner" is already registered');
    expect(unknown.code).toBe(1);
    expect(unknown.io.err()).toContain('no manual consumer named "nobody"');
    expect(JSON.stringify(account.dynamodb.dump())).toBe(before);
  });

  it('says that an empty registry waits for the SSM targets only', async () => {
    account = new SandboxAccount({ hosts: 1, registry: true });

    const listed = await run(account, 'list');

    expect(listed.code).toBe(0);
    expect(listed.io.out()).toContain('No manual consumers are registered');
  });

  it('names the table and the fix when the configured table is missing', async () => {
    account = new SandboxAccount({ hosts: 1, registry: true });
    account.dynamodb.deleteTable(account.registryTable ?? '');

    const listed = await run(account, 'list', '--json');

    expect(listed.code).toBe(1);
    const doc = JSON.parse(listed.io.out()) as { consumers: null; error: { message: string } };
    expect(doc.consumers).toBeNull();
    expect(doc.error.message).toContain(`manual-consumer table ${account.registryTable} does not exist`);
  });

  it('is a usage error without an action or with --owner on remove', async () => {
    account = new SandboxAccount({ hosts: 1, registry: true });

    const none = await run(account);
    const owner = await run(account, 'remove', '--consumer', 'x', '--owner', 'y');

    expect(none.code).toBe(2);
    expect(none.io.err()).toContain('consumers add, consumers list or consumers remove');
    expect(owner.code).toBe(2);
  });
});
