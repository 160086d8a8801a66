import { main } from '../../../src/cli/main';
import { SandboxAccount } from '../../../src/sandbox/account';
import { runRotation } from '../../../src/sandbox/rotation-driver';
import { leakedSecrets, printed, sandboxIo } from '../sandbox-cli';

async function status(account: SandboxAccount, ...flags: string[]) {
  const io = sandboxIo(account);
  const code = await main(['status', '--secret-id', account.secrets.arn, ...flags], io);
  return { code, io };
}

describe('status with additional regions', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('lists the regions AWSCURRENT holds a password for, never a password', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', additionalRegion: 'eu-central-1' });
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    // Act
    const text = await status(account);
    const json = await status(account, '--json');
    // Assess
    expect(text.code).toBe(0);
    expect(text.io.out()).toContain(
      'email-smtp.eu-west-1.amazonaws.com:587 (eu-west-1); email-smtp.eu-central-1.amazonaws.com (eu-central-1)',
    );
    const report = JSON.parse(json.io.out()) as { current: { additionalRegions: unknown }; warnings: string[] };
    expect(report.current.additionalRegions).toEqual([
      { region: 'eu-central-1', endpoint: 'email-smtp.eu-central-1.amazonaws.com' },
    ]);
    expect(report.warnings).toEqual([]);
    expect(leakedSecrets(account, printed(text.io) + printed(json.io))).toEqual([]);
  });

  it('warns when the function is configured with a region AWSCURRENT has no password for', async () => {
    account = new SandboxAccount({ hosts: 2, initialSecret: 'settings' });
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    account.lambda.overrides = { SES_ADDITIONAL_REGIONS: 'eu-central-1' };

    const { io } = await status(account, '--json');

    const report = JSON.parse(io.out()) as { current: { additionalRegions: unknown }; warnings: string[] };
    expect(report.current.additionalRegions).toEqual([]);
    expect(report.warnings).toContainEqual(
      expect.stringContaining('AWSCURRENT holds no password for the configured additional region(s) eu-central-1'),
    );
  });
});
