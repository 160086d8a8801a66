import { runDemo } from '../../src/sandbox/demo';

describe('demo --manual', () => {
  it('asks, takes two confirmations by two principals, then promotes and retires', async () => {
    // Prepare
    const lines: string[] = [];

    // Act
    const report = await runDemo({ hosts: 3, manual: 2, print: (l) => lines.push(l) });

    // Assess
    expect(report.ok).toBe(true);
    expect(report.manual).toMatchObject({ promoted: true, everyoneSentWhileWaiting: true });
    expect(new Set(report.manual?.confirmedBy).size).toBe(2);
    expect(report.proof).toMatchObject({ oldPasswordRejected: true, keysOnUser: 1 });
    const text = lines.join('\n');
    expect(text).toContain('did NOT promote');
    expect(text).toMatch(/Manual consumers \(confirmed by hand before promotion\):\n.*MailOps\/bob/);
  }, 30_000);

  it('promotes nothing while one never confirms: the old key stays and the reminder goes out', async () => {
    // Act
    const report = await runDemo({ hosts: 3, manual: 2, manualSilent: true });

    // Assess
    expect(report.ok).toBe(true);
    expect(report.manual).toMatchObject({ promoted: false, reminderSent: true });
    expect(report.proof.keysOnUser).toBe(2);
  }, 30_000);
});
