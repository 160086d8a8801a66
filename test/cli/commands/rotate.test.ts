import { main } from '../../../src/cli/main';
import { leakedSecrets, printed, sandboxPerTest } from '../sandbox-cli';

/** The top-level keys of `rotate --json`, in the README's order ("Operator CLI"). */
const ROTATE_KEYS = [
  'secretArn',
  'versionId',
  'waited',
  'outcome',
  'steps',
  'push',
  'failure',
  'problems',
  'next',
  'warnings',
  'error',
];

describe('rotate', () => {
  const sandbox = sandboxPerTest();

  it('prints the documented JSON shape with --json --wait', async () => {
    const { account, io } = sandbox.start({ hosts: 2 });

    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--wait', '--json'], io);

    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual([...ROTATE_KEYS].sort());
    expect(report).toMatchObject({
      secretArn: account.secrets.arn,
      versionId: account.secrets.versionWithStage('AWSCURRENT'),
      waited: true,
      outcome: 'complete',
      problems: [],
    });
    expect((report.steps as { step: string }[]).map((s) => s.step)).toEqual([
      'created',
      'pushing',
      'promoted',
      'retired',
    ]);
    expect(report.push).toMatchObject({ outcome: 'succeeded', targets: 2, completed: 2, errors: 0 });
    expect(leakedSecrets(account, printed(io))).toEqual([]);
  });

  it.each([
    [['rotate'], '--secret-id is required'],
    [['rotate', '--secret-id', 's', '--wait', '--timeout', 'soon'], '--timeout takes minutes'],
    [['rotate', '--secret-id', 's', '--timeout', '45'], '--timeout only applies with --wait'],
    [['rotate', '--secret-id', 's', '--region', 'EU-WEST-1'], 'is not an AWS region name'],
    [['rotate', '--secret-id', 's', '--bogus'], "Unknown option '--bogus'"],
  ])('exits 2 for %j', async (argv, message) => {
    const { io } = sandbox.start({ hosts: 1, rotations: false });
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toContain(message);
  });

  it('prints its help with --help', async () => {
    const { io } = sandbox.start({ hosts: 1, rotations: false });
    expect(await main(['rotate', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: ses-smtp-rotation rotate --secret-id <id>');
  });
});
