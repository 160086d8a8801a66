import { main } from '../../../src/cli/main';
import { SandboxAccount } from '../../../src/sandbox/account';
import { sandboxIo } from '../sandbox-cli';

interface Check {
  name: string;
  status: 'ok' | 'problem' | 'skipped';
  detail: string;
}

describe('preflight with an additional region', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it("checks the DR region's endpoint too, and fails when only that one is unreachable", async () => {
    // Prepare: the DR endpoint refuses connections; the primary answers.
    account = new SandboxAccount({ hosts: 2, additionalRegion: 'eu-central-1' });
    const io = sandboxIo(account, {
      checkSmtp: async (host) =>
        host === 'email-smtp.eu-central-1.amazonaws.com'
          ? { ok: false, detail: 'connection refused (nothing listens on this port)' }
          : { ok: true, detail: 'SMTP greeting and EHLO answered, STARTTLS offered' },
    });
    // Act
    const code = await main(['preflight', '--secret-id', account.secrets.arn, '--json'], io);
    // Assess
    const checks = (JSON.parse(io.out()) as { checks: Check[] }).checks.filter((c) => c.name === 'smtp-endpoint');
    expect(code).toBe(1);
    expect(checks.map((c) => [c.status, c.detail.split(' ')[0]])).toEqual([
      ['ok', 'email-smtp.eu-west-1.amazonaws.com:587'],
      ['problem', 'email-smtp.eu-central-1.amazonaws.com:587:'],
    ]);
  });
});
