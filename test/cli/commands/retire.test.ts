import { main } from '../../../src/cli/main';
import { RETIREMENT_TAGS } from '../../../src/rotation/retirement';
import { SandboxAccount } from '../../../src/sandbox/account';
import { runRetirementPass } from '../../../src/sandbox/retirement-driver';
import { runRotation } from '../../../src/sandbox/rotation-driver';
import { leakedSecrets, printed, rotateOnRequest, sandboxIo } from '../sandbox-cli';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Two staged rotations: the user holds the current key and the retiring key of the second rotation. */
async function retiring() {
  const account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', retirement: 'staged' });
  await runRotation(account, { handler: { probe: account.sesProbe() } });
  account.clock.advance(10 * DAY);
  await runRotation(account, { handler: { probe: account.sesProbe() } });
  const [old, current] = account.iam.keys(account.userName) as unknown as [{ id: string }, { id: string }];
  return { account, old, current, confirmedAt: account.secrets.lastRotatedDate! };
}

/** {@link retiring}, and a consumer the push did not reach used the old key an hour after it. */
async function retiringInUse() {
  const r = await retiring();
  r.account.iam.recordUse(r.old.id, new Date(r.confirmedAt.getTime() + HOUR));
  return r;
}

/** `rotate [flags] --wait`, the sandbox running the rotation it requests; returns once that rotation settled. */
async function rotateAndWait(account: SandboxAccount, ...flags: string[]) {
  const rotations = rotateOnRequest(account);
  const io = sandboxIo(account);
  const code = await main(['rotate', '--secret-id', account.secrets.arn, ...flags, '--wait'], io);
  await rotations.settled();
  return { code, io };
}

describe('retire', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('shows the retiring key, its stage, its deadlines and its last use', async () => {
    const r = await retiring();
    account = r.account;
    account.iam.recordUse(r.old.id, new Date(r.confirmedAt.getTime() + HOUR), { region: 'eu-central-1' });
    const io = sandboxIo(account);

    const code = await main(['retire', '--secret-id', account.secrets.arn], io);

    expect(code).toBe(0);
    const out = io.out();
    expect(out).toContain('Policy:      staged, deactivate after 1d, delete 7d later, hold a key in use');
    expect(out).toMatch(/Old key:\s+AKIA…\w{4} — held: used after the push \(Active\)/);
    expect(out).toContain('(ses, eu-central-1)');
    expect(out).toContain(`deactivate: ${new Date(r.confirmedAt.getTime() + DAY).toISOString()}`);
    expect(leakedSecrets(account, printed(io))).toEqual([]);
  });

  it('reads DescribeSecret once for both the function policy and the retirement state', async () => {
    const r = await retiring();
    account = r.account;
    const from = account.recorder.calls.length;

    const code = await main(['retire', '--secret-id', account.secrets.arn], sandboxIo(account));

    expect(code).toBe(0);
    const calls = account.recorder.calls.slice(from).map((c) => `${c.service}:${c.operation}`);
    expect(calls.filter((c) => c === 'SecretsManager:DescribeSecret')).toHaveLength(1);
    expect(calls).toContain('Lambda:GetFunctionConfiguration');
  });

  it('--reactivate turns a deactivated key back on and the pass then waits for --resume', async () => {
    // Prepare: the pass deactivated the old key.
    const r = await retiring();
    account = r.account;
    account.clock.advance(DAY);
    await runRetirementPass(account);
    expect(account.iam.keys(account.userName)[0]?.status).toBe('Inactive');

    // Act
    const code = await main(['retire', '--secret-id', account.secrets.arn, '--reactivate'], sandboxIo(account));
    account.clock.advance(2 * HOUR);
    await runRetirementPass(account);

    // Assess: active, paused, notified; the pass left it alone.
    expect(code).toBe(0);
    expect(account.iam.keys(account.userName).find((k) => k.id === r.old.id)?.status).toBe('Active');
    expect(account.secrets.tags.get(RETIREMENT_TAGS.control)).toBe(`paused ${r.old.id}`);
    expect(account.notifications.some((n) => n.subject?.includes('old key reactivated'))).toBe(true);

    // Act: resume; the next pass deactivates again.
    expect(await main(['retire', '--secret-id', account.secrets.arn, '--resume'], sandboxIo(account))).toBe(0);
    account.clock.advance(HOUR);
    await runRetirementPass(account);
    expect(account.iam.keys(account.userName).find((k) => k.id === r.old.id)?.status).toBe('Inactive');
  });

  it('--now deletes the old key at once, even one still in use', async () => {
    const r = await retiringInUse();
    account = r.account;

    const code = await main(['retire', '--secret-id', account.secrets.arn, '--now'], sandboxIo(account));

    expect(code).toBe(0);
    expect(account.iam.keys(account.userName).map((k) => k.id)).toEqual([r.current.id]);
    expect(account.notifications.some((n) => n.subject?.includes('old key deleted'))).toBe(true);
  });

  it('refuses --now on the AWSCURRENT key and changes nothing', async () => {
    const r = await retiring();
    account = r.account;
    const io = sandboxIo(account);

    const code = await main(['retire', '--secret-id', account.secrets.arn, '--now', '--key-id', r.current.id], io);

    expect(code).toBe(1);
    expect(io.err()).toContain('is the key in AWSCURRENT or AWSPENDING');
    expect(account.iam.keys(account.userName)).toHaveLength(2);
  });

  it('refuses --reactivate when nothing is retiring', async () => {
    const r = await retiring();
    account = r.account;
    account.clock.advance(9 * DAY);
    await runRetirementPass(account);
    const io = sandboxIo(account);

    const code = await main(['retire', '--secret-id', account.secrets.arn, '--reactivate'], io);

    expect(code).toBe(1);
    expect(io.err()).toContain('nothing is retiring');
  });

  it('refuses two actions at once as a usage error', async () => {
    account = new SandboxAccount();
    const code = await main(['retire', '--secret-id', account.secrets.arn, '--now', '--resume'], sandboxIo(account));
    expect(code).toBe(2);
  });
});

describe('rotate --emergency', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('tags the secret before the rotation; the rotation deletes the old key and clears the tag', async () => {
    account = (await retiringInUse()).account;

    const { code, io } = await rotateAndWait(account, '--emergency');

    expect(code).toBe(0);
    expect(io.out()).toContain('emergency: every old key is deleted once every host confirmed (tagged');
    expect(account.iam.keys(account.userName)).toHaveLength(1);
    expect(account.secrets.tags.has(RETIREMENT_TAGS.emergency)).toBe(false);
  });
});

describe('rotate --immediate-retirement', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('deletes the old key at the end of this staged rotation only, and clears its tag', async () => {
    // Prepare: a staged installation whose old key retired; the user holds one key.
    account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', retirement: 'staged' });

    // Act
    const { code, io } = await rotateAndWait(account, '--immediate-retirement');

    // Assess: one key left (staged would have left two), the request gone, the next rotation staged again.
    expect(code).toBe(0);
    expect(io.out()).toContain('immediate retirement: the old key is deleted once every host confirmed');
    expect(account.iam.keys(account.userName)).toHaveLength(1);
    expect(account.secrets.tags.has(RETIREMENT_TAGS.immediate)).toBe(false);
    expect(account.notifications.at(-1)?.message).toMatch(/immediate/);
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    expect(account.iam.keys(account.userName)).toHaveLength(2);
  });

  it('still stops at a retiring key that is in use (unlike --emergency), and nothing is left tagged', async () => {
    // Prepare
    account = (await retiringInUse()).account;
    const keysBefore = account.iam.keys(account.userName).map((k) => k.id);

    // Act
    const { code, io } = await rotateAndWait(account, '--immediate-retirement');

    // Assess: createSecret refused (the held key stays), so the rotation failed before the push.
    expect(code).toBe(1);
    expect(io.err()).toMatch(/old key is still retiring/);
    expect(account.iam.keys(account.userName).map((k) => k.id)).toEqual(keysBefore);
  });

  it('refuses --immediate-retirement with --emergency or --abandon as usage errors', async () => {
    account = new SandboxAccount();
    const arn = account.secrets.arn;
    expect(
      await main(['rotate', '--secret-id', arn, '--emergency', '--immediate-retirement'], sandboxIo(account)),
    ).toBe(2);
    expect(await main(['rotate', '--secret-id', arn, '--abandon', '--immediate-retirement'], sandboxIo(account))).toBe(
      2,
    );
    expect(account.secrets.tags.size).toBe(0);
  });

  it('shows the request in status until the rotation clears it', async () => {
    account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', retirement: 'staged' });
    account.secrets.tags.set(RETIREMENT_TAGS.immediate, '2026-01-01T00:00:00.000Z');
    const text = sandboxIo(account);
    const json = sandboxIo(account);

    await main(['status', '--secret-id', account.secrets.arn], text);
    await main(['status', '--secret-id', account.secrets.arn, '--json'], json);

    expect(text.out()).toMatch(/Retirement\s+immediate, requested 2026-01-01T00:00:00.000Z/);
    expect(JSON.parse(json.out()).secret.immediateRetirementRequested).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('rotate --wait under the staged policy', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('completes when Secrets Manager recorded the rotation, naming the old key that is retiring', async () => {
    account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', retirement: 'staged' });

    const { code, io } = await rotateAndWait(account);

    expect(code).toBe(0);
    expect(io.out()).toMatch(/retired: old key AKIA…\w{4} retiring \(staged\)/);
    expect(account.iam.keys(account.userName)).toHaveLength(2);
  });
});

describe('status and preflight during a staged retirement', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('do not report the retiring old key as a problem', async () => {
    const r = await retiring();
    account = r.account;
    const status = sandboxIo(account);
    const preflight = sandboxIo(account);

    const statusCode = await main(['status', '--secret-id', account.secrets.arn, '--json'], status);
    await main(['preflight', '--secret-id', account.secrets.arn, '--json'], preflight);

    expect(statusCode).toBe(0);
    expect(JSON.parse(status.out())).toMatchObject({ state: 'ok', problems: [] });
    const checks = (JSON.parse(preflight.out()) as { checks: { name: string; status: string }[] }).checks;
    expect(checks.find((c) => c.name === 'keys')?.status).toBe('ok');
  });
});

describe('status shows a pending emergency', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('names the emergency tag until the rotation clears it', async () => {
    const r = await retiring();
    account = r.account;
    account.secrets.tags.set(RETIREMENT_TAGS.emergency, '2026-01-01T00:00:00.000Z');
    const text = sandboxIo(account);
    const json = sandboxIo(account);

    await main(['status', '--secret-id', account.secrets.arn], text);
    await main(['status', '--secret-id', account.secrets.arn, '--json'], json);

    expect(text.out()).toMatch(/Emergency\s+requested 2026-01-01T00:00:00.000Z/);
    expect(JSON.parse(json.out()).secret.emergencyRequested).toBe('2026-01-01T00:00:00.000Z');
  });
});
