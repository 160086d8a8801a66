import { main } from '../../src/cli/main';
import { fakeIo } from '../cli/fake-io';
import { runDemo } from '../../src/sandbox/demo';

describe('runDemo with a disaster-recovery region', () => {
  it('proves both regions over real SMTP and every relay authenticates at its own endpoint', async () => {
    // Prepare
    const lines: string[] = [];
    // Act
    const report = await runDemo({ hosts: 4, drRegion: 'eu-central-1', print: (l) => lines.push(l) });
    // Assess
    expect(report.ok).toBe(true);
    expect(report.drRegion).toMatchObject({
      region: 'eu-central-1',
      endpoint: 'email-smtp.eu-central-1.amazonaws.com',
      relays: 2,
    });
    expect(report.proof.hostsAuthenticated).toBe(4);
    expect(lines.join('\n')).toContain(
      'the pending credential authenticates (keyId=AKIA…0002, attempts=1, additionalRegions=eu-central-1)',
    );
    // The DR endpoint saw the test of the new key and the proof logins: it accepted only eu-central-1 passwords.
    const attempts = lines.find((l) => l.startsWith('SMTP AUTH attempts'));
    expect(attempts).toMatch(/ and [1-9][0-9]* \(eu-central-1\)/);
  });

  it('keeps the single-region narration when no DR region is asked for', async () => {
    const lines: string[] = [];
    const report = await runDemo({ hosts: 2, print: (l) => lines.push(l) });
    expect(report.ok).toBe(true);
    expect(report.drRegion).toBeUndefined();
    expect(lines.join('\n')).not.toContain('DR region');
  });
});

describe('demo --dr-region', () => {
  it.each([
    ['the primary region', 'eu-west-1', 'is the primary SES region'],
    ['a region without an SMTP endpoint', 'af-south-1', 'has no SES SMTP endpoint'],
  ])('refuses %s as a usage error', async (_what, region, message) => {
    const io = fakeIo('');
    expect(await main(['demo', '--dr-region', region], io)).toBe(2);
    expect(io.err()).toContain(message);
  });
});
