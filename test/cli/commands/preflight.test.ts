import { main } from '../../../src/cli/main';
import { SandboxAccount } from '../../../src/sandbox/account';
import { DEFAULT_FAKE_DOCUMENT } from '../../../src/sandbox/fake-ssm-validation';
import { runRotation } from '../../../src/sandbox/rotation-driver';
import { leakedSecrets, printed, sandboxIo } from '../sandbox-cli';

interface Check {
  name: string;
  status: 'ok' | 'problem' | 'skipped';
  detail: string;
  fix?: string;
}

async function preflight(account: SandboxAccount, runtime: Parameters<typeof sandboxIo>[1] = {}) {
  const io = sandboxIo(account, runtime);
  const code = await main(['preflight', '--secret-id', account.secrets.arn, '--json'], io);
  const report = JSON.parse(io.out()) as { secretArn: string; ok: boolean; checks: Check[] };
  const check = (name: string) => report.checks.find((c) => c.name === name)!;
  return { code, io, report, check };
}

describe('preflight', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('passes every check for a ready account and lists the platforms', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 3 });
    const io = sandboxIo(account);

    // Act
    const code = await main(['preflight', '--secret-id', account.secrets.arn], io);

    // Assess
    expect(code).toBe(0);
    const out = io.out();
    for (const name of ['secret', 'rotation', 'function', 'keys', 'targets', 'document', 'smtp-endpoint']) {
      expect(out).toMatch(new RegExp(`^ok\\s+${name}\\s`, 'm'));
    }
    expect(out).toContain('3 managed nodes online (2 Linux, 1 Windows)');
    expect(out).toContain('no value yet; fine for a first rotation');
    expect(out).toContain('ready to rotate');
  });

  it('prints the documented JSON shape', async () => {
    account = new SandboxAccount({ hosts: 2, initialSecret: 'settings' });

    const { code, report, check } = await preflight(account);

    expect(code).toBe(0);
    expect(Object.keys(report).sort()).toEqual(['checks', 'error', 'ok', 'secretArn']);
    expect(report).toMatchObject({ secretArn: account.secrets.arn, ok: true });
    expect(report.checks.map((c) => c.name)).toEqual([
      'secret',
      'rotation',
      'function',
      'keys',
      'targets',
      'document',
      'smtp-endpoint',
    ]);
    expect(check('secret').detail).toContain('settings value; fine for a first rotation');
    expect(Object.keys(check('keys')).sort()).toEqual(['detail', 'name', 'status']);
  });

  it('passes after a rotation and never prints a secret', async () => {
    account = new SandboxAccount({ hosts: 2 });
    await runRotation(account, { handler: { probe: account.sesProbe() } });

    const { code, io, check } = await preflight(account);

    expect(code).toBe(0);
    expect(check('secret').detail).toContain('AWSCURRENT holds key AKIA…0002');
    expect(leakedSecrets(account, printed(io))).toEqual([]);
  });

  it('flags two keys and names the one that is safe to delete', async () => {
    account = new SandboxAccount({ hosts: 2 });
    // A never-used key newer than the console key: an orphan of a crashed first rotation.
    account.iam.addKey(account.userName, { created: new Date(account.clock.now()) });

    const { code, check } = await preflight(account);

    expect(code).toBe(1);
    expect(check('keys')).toMatchObject({ status: 'problem' });
    expect(check('keys').detail).toContain('two keys');
    expect(check('keys').fix).toContain('safe to delete: AKIA…0002');
  });

  it('flags two used keys the secret does not explain, with the reconcile advice', async () => {
    account = new SandboxAccount({ hosts: 2 });
    account.iam.addKey(account.userName, { created: new Date(account.clock.now()), lastUsed: new Date() });

    const { code, check } = await preflight(account);

    expect(code).toBe(1);
    expect(check('keys').fix).toContain('Delete the key the hosts do NOT use');
  });

  it('fails when no managed node matches the tag', async () => {
    account = new SandboxAccount({ hosts: 2 });
    account.lambda.overrides = { FLEET_TARGET_TAGS: 'Role=nothing-here' };

    const { code, check } = await preflight(account);

    expect(code).toBe(1);
    expect(check('targets')).toMatchObject({
      status: 'problem',
      detail: 'no managed node carries tag Role=nothing-here',
    });
    expect(check('targets').fix).toContain('tag the relays');
  });

  it('names an offline node', async () => {
    account = new SandboxAccount({ hosts: 3 });
    account.hosts[1]!.online = false;

    const { code, check } = await preflight(account);

    expect(code).toBe(1);
    expect(check('targets').detail).toBe(`1 node of 3 not online: ${account.hosts[1]!.instanceId} (ConnectionLost)`);
  });

  it('targets explicit instance ids when the function lists them', async () => {
    account = new SandboxAccount({ hosts: 3 });
    account.lambda.overrides = { FLEET_TARGET_TAGS: undefined, FLEET_INSTANCE_IDS: account.hosts[0]!.instanceId };

    const { code, check } = await preflight(account);

    expect(code).toBe(0);
    expect(check('targets').detail).toBe('1 managed node online (1 Linux)');
  });

  it('names the bad variable of the rotation function and skips what depends on it', async () => {
    account = new SandboxAccount({ hosts: 2 });
    account.lambda.overrides = { SMTP_PORT: '99999' };

    const { code, check } = await preflight(account);

    expect(code).toBe(1);
    expect(check('function').status).toBe('problem');
    expect(check('function').detail).toContain('SMTP_PORT must be a whole number from 1 to 65535');
    expect(check('keys').status).toBe('ok');
    expect(check('targets')).toMatchObject({ status: 'skipped', detail: 'the function environment is invalid' });
  });

  it('reports a missing SSM document', async () => {
    account = new SandboxAccount({ hosts: 2 });
    account.inventory.documents.delete(DEFAULT_FAKE_DOCUMENT);

    const { code, check } = await preflight(account);

    expect(code).toBe(1);
    expect(check('document').detail).toContain(`${DEFAULT_FAKE_DOCUMENT} does not exist`);
  });

  it('reports an endpoint that does not resolve, and one that does not answer', async () => {
    account = new SandboxAccount({ hosts: 1 });
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });

    const dns = await preflight(account, { resolve: async () => Promise.reject(notFound) });
    const smtp = await preflight(account, {
      checkSmtp: async () => ({ ok: false, detail: 'connection refused (nothing listens on this port)' }),
    });

    expect(dns.code).toBe(1);
    expect(dns.check('smtp-endpoint').detail).toBe('email-smtp.eu-west-1.amazonaws.com does not resolve (ENOTFOUND)');
    expect(smtp.code).toBe(1);
    expect(smtp.check('smtp-endpoint').detail).toContain(':587: connection refused');
    expect(smtp.check('smtp-endpoint').fix).toContain('security groups');
  });

  it('reports an unfinished rotation', async () => {
    account = new SandboxAccount({ hosts: 1 });
    account.secrets.rotateSecret({ SecretId: account.secrets.arn });

    const { code, check } = await preflight(account);

    expect(code).toBe(1);
    expect(check('rotation').detail).toContain('a previous rotation is not complete');
  });

  it('reports a secret that does not exist and skips the rest', async () => {
    account = new SandboxAccount({ hosts: 1 });
    const io = sandboxIo(account);

    const code = await main(['preflight', '--secret-id', 'no-such-secret', '--region', 'eu-west-1'], io);

    expect(code).toBe(1);
    expect(io.out()).toMatch(
      /^problem\s+secret\s+ResourceNotFoundException on secretsmanager:DescribeSecret for secret no-such-secret in region eu-west-1$/m,
    );
    expect(io.out()).toContain('fix: it does not exist in this account and region');
    expect(io.out()).toMatch(/^skipped\s+targets/m);
  });

  it('exits 2 without --secret-id', async () => {
    account = new SandboxAccount({ hosts: 1 });
    const io = sandboxIo(account);
    expect(await main(['preflight'], io)).toBe(2);
  });
});
