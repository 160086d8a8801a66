import { main } from '../../../src/cli/main';
import { fakeIo } from '../fake-io';

interface Report {
  hosts: number;
  platforms: Record<string, number>;
  mtas: Record<string, number>;
  runs: { token: string; succeeded: boolean; attempts: number; errors: string[] }[];
  failedHost?: string;
  crashAt?: string;
  audit?: string;
  proof: { hostsAuthenticated: number; hosts: number; oldPasswordRejected: boolean; keysOnUser: number };
  apiCalls: number;
  ok: boolean;
}

async function demo(...args: string[]): Promise<{ code: number; report: Report; out: string }> {
  const io = fakeIo();
  const code = await main(['demo', '--json', ...args], io);
  return { code, report: JSON.parse(io.out()) as Report, out: io.out() + io.err() };
}

describe('demo', () => {
  it('rotates a mixed fleet and proves every relay authenticates, the old password fails and one key is left', async () => {
    const { code, report } = await demo('--hosts', '6');
    expect(code).toBe(0);
    expect(report).toMatchObject({
      hosts: 6,
      platforms: { Linux: 4, Windows: 2 },
      mtas: { postfix: 2, exim: 1, sendmail: 1, iis: 2 },
      ok: true,
      proof: { hostsAuthenticated: 6, hosts: 6, oldPasswordRejected: true, keysOnUser: 1 },
    });
    expect(report.runs).toEqual([{ token: expect.any(String), succeeded: true, attempts: 1, errors: [] }]);
    expect(report.audit).toContain('Hosts updated:  6');
  });

  it('shows a failing relay stopping the rotation with nothing promoted, then completing after the fix', async () => {
    const { code, report } = await demo('--hosts', '5', '--fail-host', '3');
    expect(code).toBe(0);
    expect(report.failedHost).toBe('i-00000000000000003');
    expect(report.runs[0]).toMatchObject({ succeeded: false });
    expect(report.runs[0]?.errors[0]).toContain('i-00000000000000003');
    expect(report.runs[0]?.errors[0]).toContain('Nothing was promoted');
    expect(report.runs[1]).toMatchObject({ succeeded: true, token: report.runs[0]?.token });
    expect(report.proof).toMatchObject({ hostsAuthenticated: 5, keysOnUser: 1, oldPasswordRejected: true });
  });

  it.each(['createSecret', 'setSecret', 'testSecret', 'finishSecret'])(
    'resumes after the Lambda dies in %s',
    async (step) => {
      const { code, report } = await demo('--hosts', '3', '--crash-at', step);
      expect(code).toBe(0);
      expect(report.crashAt).toBe(step);
      expect(report.runs[0]).toMatchObject({ succeeded: true, attempts: 2 });
      expect(report.proof).toMatchObject({ hostsAuthenticated: 3, keysOnUser: 1, oldPasswordRejected: true });
    },
  );

  it('narrates the rotation without --json', async () => {
    const io = fakeIo();
    expect(await main(['demo', '--hosts', '2'], io)).toBe(0);
    expect(io.out()).toContain('promoted the new version to AWSCURRENT');
    expect(io.out()).toContain('Proof: 2/2 relays hold a credential that authenticates over SMTP');
    expect(io.out()).toMatch(/Demo complete in [0-9.]+ s/);
    expect(io.out()).not.toMatch(/AKIAEXAMPLE\d{9}/);
  });

  it.each([
    [['--hosts', '0'], '--hosts must be a whole number from 1 to 5000'],
    [['--hosts', '3', '--fail-host', '4'], '--fail-host must be a whole number from 1 to 3'],
    [['--crash-at', 'rotateSecret'], '--crash-at must be one of createSecret, setSecret, testSecret, finishSecret'],
  ])('refuses %j with exit code 2', async (args, message) => {
    const io = fakeIo();
    expect(await main(['demo', ...args], io)).toBe(2);
    expect(io.err()).toContain(message);
  });
});
