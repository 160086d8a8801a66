import { SandboxAccount } from '../../src/sandbox/account';
import { checkInvariants, checkRetirementPass, snapshotKeys } from '../../src/sandbox/invariants';
import { runRetirementPass } from '../../src/sandbox/retirement-driver';
import { runRotation } from '../../src/sandbox/rotation-driver';
import { RETIREMENT_TAGS } from '../../src/rotation/retirement';
import { DAY_MS as DAY, HOUR_MS as HOUR } from '../../src/rotation/retirement-policy';

async function rotated(options: { emergency?: boolean } = {}) {
  const account = new SandboxAccount({ hosts: 3, initialSecret: 'settings', retirement: 'staged' });
  const first = await runRotation(account, { handler: { probe: account.sesProbe() } });
  if (!first.succeeded) throw new Error('first rotation failed');
  account.clock.advance(30 * DAY);
  // The key the first rotation minted (the console key it replaced is still retiring: the next createSecret frees it).
  const old = account.iam.keys(account.userName).at(-1)!;
  if (options.emergency)
    account.secrets.tags.set(RETIREMENT_TAGS.emergency, new Date(account.clock.now()).toISOString());
  const run = await runRotation(account, { handler: { probe: account.sesProbe() } });
  if (!run.succeeded) throw new Error('rotation failed');
  const confirmedAt = account.secrets.lastRotatedDate!;
  return { account, old, confirmedAt };
}

function ok(outcome: Awaited<ReturnType<typeof runRetirementPass>>) {
  if (outcome.result !== 'ok')
    throw new Error(`pass ${outcome.result}: ${'error' in outcome ? outcome.error.message : ''}`);
  return outcome.report;
}

describe('staged retirement (sandbox)', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('leaves the old key active at promotion, deactivates it after 24 h and deletes it 7 days later', async () => {
    // Prepare
    const r = await rotated();
    account = r.account;
    expect(account.iam.keys(account.userName)).toHaveLength(2);
    expect(checkInvariants(account, { completed: true })).toEqual([]);
    // Act + Assess: the whole lifecycle, one pass per step.
    account.clock.advance(HOUR);
    expect(ok(await runRetirementPass(account)).keys[0]?.decision.action).toBe('wait');
    account.clock.advance(23 * HOUR);
    const before = snapshotKeys(account);
    expect(ok(await runRetirementPass(account)).keys[0]?.decision.action).toBe('deactivate');
    expect(account.iam.keys(account.userName).find((k) => k.id === r.old.id)?.status).toBe('Inactive');
    expect(checkRetirementPass(account, before, { confirmedAt: r.confirmedAt, routine: true })).toEqual([]);
    account.clock.advance(7 * DAY);
    expect(ok(await runRetirementPass(account)).keys[0]?.decision.action).toBe('delete');
    expect(account.iam.keys(account.userName).map((k) => k.id)).not.toContain(r.old.id);
    expect(account.iam.keys(account.userName)).toHaveLength(1);
    expect(account.notifications.map((n) => n.subject)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('old key deactivated'),
        expect.stringContaining('old key deleted'),
      ]),
    );
  });

  it('holds a key a stray consumer still uses: one log line, one alert, a metric, nothing changed', async () => {
    // Prepare: a consumer the push did not reach keeps sending with the old key.
    const r = await rotated();
    account = r.account;
    account.iam.recordUse(r.old.id, new Date(r.confirmedAt.getTime() + 2 * HOUR), { region: 'eu-central-1' });
    account.clock.advance(2 * DAY);
    const before = snapshotKeys(account);
    // Act: two passes.
    const first = ok(await runRetirementPass(account));
    account.clock.advance(HOUR);
    ok(await runRetirementPass(account));
    // Assess
    expect(first.keys[0]?.decision.action).toBe('hold');
    expect(account.iam.keys(account.userName).find((k) => k.id === r.old.id)?.status).toBe('Active');
    const lines = account.logs.filter((l) => l.message === 'old-key-in-use');
    expect(lines).toHaveLength(2);
    expect(lines[0]?.attributes).toMatchObject({ service: 'ses', region: 'eu-central-1' });
    const alerts = account.notifications.filter((n) => n.subject?.includes('still in use'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toContain('--resume');
    expect(alerts[0]?.message).not.toContain(r.old.id);
    expect(account.retirementMetrics.at(-1)).toMatchObject({ oldKeyInUse: 1 });
    expect(checkRetirementPass(account, before, { confirmedAt: r.confirmedAt, routine: true })).toEqual([]);
  });

  it('makes at most 5 AWS calls per secret when nothing is due', async () => {
    const r = await rotated();
    account = r.account;
    account.clock.advance(HOUR);
    const start = account.recorder.calls.length;
    ok(await runRetirementPass(account));
    expect(account.recorder.calls.length - start).toBeLessThanOrEqual(5);
  });

  it('skips the pass while a rotation of the secret is running', async () => {
    const r = await rotated();
    account = r.account;
    account.clock.advance(9 * DAY);
    account.secrets.rotateSecret({
      SecretId: account.secrets.arn,
      ClientRequestToken: '0'.repeat(8) + '-0000-4000-8000-' + '0'.repeat(12),
    });
    const report = ok(await runRetirementPass(account));
    expect(report.outcome).toBe('skipped-rotation-in-progress');
    expect(account.iam.keys(account.userName)).toHaveLength(2);
  });

  it('retires nothing when AWSCURRENT was written outside a rotation (no confirmation to measure from)', async () => {
    const r = await rotated();
    account = r.account;
    account.clock.advance(9 * DAY);
    const current = account.secrets.versionWithStage('AWSCURRENT')!;
    account.secrets.putSecretValue({
      SecretId: account.secrets.arn,
      ClientRequestToken: '11111111-2222-4333-8444-555566667777',
      SecretString: account.secrets.peekValue(current)!,
    });
    // As an operator would after a manual write: no label points at a rotation in progress.
    const pending = account.secrets.versionWithStage('AWSPENDING');
    if (pending)
      account.secrets.updateSecretVersionStage({
        SecretId: account.secrets.arn,
        VersionStage: 'AWSPENDING',
        RemoveFromVersionId: pending,
      });
    const report = ok(await runRetirementPass(account));
    expect(report.outcome).toBe('unconfirmed');
    expect(account.iam.keys(account.userName)).toHaveLength(2);
  });

  it('refuses an unknown event shape, naming both known shapes, and changes nothing', async () => {
    const r = await rotated();
    account = r.account;
    const before = account.recorder.calls.length;
    const outcome = await runRetirementPass(account, { event: { action: 'cleanup', secretId: account.secrets.arn } });
    expect(outcome.result).toBe('failed');
    expect(outcome.result === 'failed' && outcome.error.message).toMatch(/"action":"retire"/);
    expect(account.recorder.calls.length).toBe(before);
  });

  it("refuses a secret other than EXPECTED_SECRET_ARN in the rotation steps' words and makes no AWS call", async () => {
    const r = await rotated();
    account = r.account;
    const before = account.recorder.calls.length;
    const other = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:someone-elses-secret-AbCdEf';

    const outcome = await runRetirementPass(account, { event: { action: 'retire', secretId: other } });

    expect(outcome.result === 'failed' && outcome.error.message).toBe(
      `this function rotates ${account.secrets.arn} only (EXPECTED_SECRET_ARN) and refuses to act on another secret`,
    );
    expect(account.recorder.calls.length).toBe(before);
  });

  it('an emergency rotation leaves exactly one key and clears its tag', async () => {
    const r = await rotated({ emergency: true });
    account = r.account;
    expect(account.iam.keys(account.userName)).toHaveLength(1);
    expect(account.secrets.tags.has(RETIREMENT_TAGS.emergency)).toBe(false);
  });
});

describe('a rotation while the old key is still retiring (two-key limit)', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('deletes an unused retiring key before minting', async () => {
    const r = await rotated();
    account = r.account;
    account.clock.advance(HOUR);
    const run = await runRotation(account, { handler: { probe: account.sesProbe() } });
    expect(run.succeeded).toBe(true);
    expect(account.iam.keys(account.userName).map((k) => k.id)).not.toContain(r.old.id);
    expect(account.iam.keys(account.userName)).toHaveLength(2);
  });

  it('stops a routine rotation when the retiring key is in use, naming the key, its use and the choices', async () => {
    const r = await rotated();
    account = r.account;
    account.iam.recordUse(r.old.id, new Date(r.confirmedAt.getTime() + HOUR));
    const keysBefore = snapshotKeys(account);
    const run = await runRotation(account, { maxAttempts: 1, handler: { probe: account.sesProbe() } });
    expect(run.succeeded).toBe(false);
    const message = run.invocations.at(-1)?.error?.message ?? '';
    expect(message).toContain('AKIA…');
    expect(message).toContain('retire --secret-id <secret> --now');
    expect(message).toContain('--emergency');
    expect(snapshotKeys(account)).toEqual(keysBefore);
  });

  it('an emergency rotation deletes the retiring key even when it is in use, ending with one key', async () => {
    const r = await rotated();
    account = r.account;
    account.iam.recordUse(r.old.id, new Date(r.confirmedAt.getTime() + HOUR));
    account.secrets.tags.set(RETIREMENT_TAGS.emergency, 'true');
    const run = await runRotation(account, { handler: { probe: account.sesProbe() } });
    expect(run.succeeded).toBe(true);
    expect(account.iam.keys(account.userName)).toHaveLength(1);
    expect(checkInvariants(account, { completed: true })).toEqual([]);
  });
});
