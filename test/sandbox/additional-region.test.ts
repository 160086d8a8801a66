import { SendCommandCommand } from '@aws-sdk/client-ssm';
import { parseSecretValue } from '../../src/core/secret';
import type { SmtpProbe } from '../../src/rotation/ports';
import { SandboxAccount } from '../../src/sandbox/account';
import { SandboxAuthRejectedError } from '../../src/sandbox/sandbox-probe';
import { checkInvariants } from '../../src/sandbox/invariants';
import { runRotation } from '../../src/sandbox/rotation-driver';
import { sent } from './sent-commands';

describe('SandboxAccount with a disaster-recovery region', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it("rotates: relays of the DR endpoint hold the DR region's password, the others the primary's", async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 4, initialSecret: 'settings', additionalRegion: 'eu-central-1' });
    // Act
    const run = await runRotation(account, { handler: { probe: account.sesProbe() } });
    // Assess
    expect(run.succeeded).toBe(true);
    expect(checkInvariants(account, { completed: true })).toEqual([]);
    const held = account.hosts.map((h) => {
      const c = account.installed.get(h.instanceId)!;
      return [h.relayHost ?? 'primary', c.region, c.endpoint];
    });
    expect(held).toEqual([
      ['primary', 'eu-west-1', 'email-smtp.eu-west-1.amazonaws.com'],
      ['email-smtp.eu-central-1.amazonaws.com', 'eu-central-1', 'email-smtp.eu-central-1.amazonaws.com'],
      ['primary', 'eu-west-1', 'email-smtp.eu-west-1.amazonaws.com'],
      ['email-smtp.eu-central-1.amazonaws.com', 'eu-central-1', 'email-smtp.eu-central-1.amazonaws.com'],
    ]);
    // Each region's password works only in its region.
    const dr = account.installed.get(account.hosts[1]!.instanceId)!;
    expect(account.iam.authenticateSmtp(dr.username, dr.password, 'eu-west-1', { record: false })).toBe(false);
    // The audit trail names the DR endpoint (never a password: checkInvariants scans the notifications).
    expect(account.notifications.at(-1)?.message).toContain(
      'Also proven:    email-smtp.eu-central-1.amazonaws.com (eu-central-1)',
    );
  });

  it('pushes nothing when the DR region refuses the new key, and every relay keeps sending', async () => {
    account = new SandboxAccount({ hosts: 4, initialSecret: 'settings', additionalRegion: 'eu-central-1' });
    const real = account.sesProbe();
    const probe: SmtpProbe = {
      authenticate: async (target, deadline) => {
        if (target.region === 'eu-central-1') throw new SandboxAuthRejectedError('535 in eu-central-1');
        return real.authenticate(target, deadline);
      },
    };
    const run = await runRotation(account, { maxAttempts: 2, handler: { probe } });
    expect(run.succeeded).toBe(false);
    expect(sent(account, SendCommandCommand)).toEqual([]);
    expect(checkInvariants(account)).toEqual([]);
  });

  it('refuses a relay whose host the secret does not serve, and promotes nothing', async () => {
    account = new SandboxAccount({ hosts: 2, initialSecret: 'settings' });
    account.hosts[1]!.relayHost = 'email-smtp.eu-central-1.amazonaws.com'; // a DR relay, but no DR region configured
    const run = await runRotation(account, { maxAttempts: 1, handler: { probe: account.sesProbe() } });
    expect(run.succeeded).toBe(false);
    expect(account.secrets.versionWithStage('AWSCURRENT')).toBeDefined();
    const current = parseSecretValue(account.secrets.peekValue(account.secrets.versionWithStage('AWSCURRENT')!));
    expect(current.kind).toBe('settings');
  });
});
