import { createHandler } from '../src/handler';
import { SandboxAccount } from '../src/sandbox/account';
import { checkInvariants } from '../src/sandbox/invariants';
import { runRotation } from '../src/sandbox/rotation-driver';

/** Captures everything written to stdout/stderr (Powertools' logger and metrics write there). */
function captureOutput() {
  const lines: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(chunk.toString());
      return true;
    }),
  );
  return { lines, restore: () => spies.forEach((s) => s.mockRestore()) };
}

describe('handler', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('logs structured lines with step, secret ARN, version and masked key ids, and never a secret', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 3 });
    const output = captureOutput();
    let run;
    try {
      // Act: the production logger and metrics (no log or metrics override).
      run = await runRotation(account, {
        handler: { probe: account.sesProbe(), log: undefined, recordMetrics: undefined },
      });
    } finally {
      output.restore();
    }
    // Assess
    expect(run.succeeded).toBe(true);
    const records = output.lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const completed = records.find((r) => r.message === 'rotation completed');
    expect(completed).toMatchObject({
      level: 'INFO',
      step: 'finishSecret',
      secretArn: account.secrets.arn,
      versionId: run.token,
      event: 'rotation-completed',
      hostsUpdated: 3,
      newKeyId: expect.stringMatching(/^AKIA…[A-Z0-9]{4}$/),
    });
    expect(records.some((r) => r.HostsUpdated === 3)).toBe(true); // the EMF metric
    const text = output.lines.join('');
    for (const secret of account.secretValues()) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/AKIAEXAMPLE\d{9}/); // key ids only masked
    expect(checkInvariants(account, { completed: true })).toEqual([]);
  });

  it('reports a configuration error naming the variable', async () => {
    account = new SandboxAccount();
    const handler = createHandler({
      env: { ...account.env(), SES_REGION: 'EU_WEST_1' },
      clock: account.clock,
      log: account.log(),
    });
    const token = account.secrets.rotateSecret({ SecretId: account.secrets.arn }).VersionId;
    await expect(
      handler(
        { Step: 'createSecret', SecretId: account.secrets.arn, ClientRequestToken: token },
        { getRemainingTimeInMillis: () => 60_000 },
      ),
    ).rejects.toThrow('environment variable SES_REGION');
  });

  it('refuses a secret other than the one it is configured for', async () => {
    account = new SandboxAccount();
    const handler = createHandler({ env: account.env(), clock: account.clock, log: account.log() });
    const other = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:someone-elses-secret-AbCdEf';
    await expect(
      handler(
        { Step: 'createSecret', SecretId: other, ClientRequestToken: 'aaaaaaaa-bbbb-cccc-dddd-000000000001' },
        { getRemainingTimeInMillis: () => 60_000 },
      ),
    ).rejects.toThrow('refuses to act on another secret');
    expect(account.recorder.calls).toEqual([]);
  });

  it('makes no AWS call in setSecret', async () => {
    account = new SandboxAccount();
    const handler = createHandler({ env: account.env(), clock: account.clock, log: account.log() });
    const token = account.secrets.rotateSecret({ SecretId: account.secrets.arn }).VersionId;
    await handler(
      { Step: 'setSecret', SecretId: account.secrets.arn, ClientRequestToken: token },
      { getRemainingTimeInMillis: () => 60_000 },
    );
    expect(account.recorder.calls).toEqual([]);
  });
});
