import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCUMENT_PARAMETERS, RESULT_MARKER } from '../../src/core/document-contract';
import { stepScript } from '../../src/documents/assemble';
import { readShippedDocument } from '../../src/documents/shipped';
import { renderStep, resolveParameters } from './harness/agent';
import { createFakeAws, type FakeAws } from './harness/fake-aws';
import {
  describeWithPowerShell,
  PESTER_VERSION,
  PWSH_VERSION,
  pwshEnv,
  runPwsh,
  type PwshRun,
} from './harness/powershell';
import { newCredential, SECRET_ARN, type TestCredential } from './harness/scenario';
import { startTestRelay, type TestRelay } from './harness/test-relay';

/** The summary test/ssm-documents/iis/Invoke-PesterRun.ps1 writes. */
interface PesterSummary {
  readonly powershell: string;
  readonly pester: string;
  readonly result: string;
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly containersFailed: number;
  readonly tests: readonly { name: string; path: string; result: string; error: string }[];
}

const PESTER_DIR = join(__dirname, 'iis');
const document = readShippedDocument();
const iisStep = document.mainSteps.find((s) => s.name === 'updateIisSmtp');
const masked = (user: string) => `${user.slice(0, 4)}...${user.slice(-4)}`;

function expectNoSecret(text: string, credentials: readonly TestCredential[]): void {
  for (const { user, pass } of credentials) {
    expect(text.includes(pass)).toBe(false);
    expect(text.includes(Buffer.from(`\0${user}\0${pass}`).toString('base64'))).toBe(false);
  }
}

/** The primary endpoint of the DR scenarios: a real SES host name, never dialled by them. */
const PRIMARY_ENDPOINT = 'email-smtp.eu-west-1.amazonaws.com';

describeWithPowerShell(`the IIS step under PowerShell ${PWSH_VERSION} (Pester ${PESTER_VERSION})`, () => {
  let work: string;
  let relay: TestRelay;
  let aws: FakeAws;
  let run: PwshRun;
  let summary: PesterSummary;
  let nunit: string;
  const credentials: TestCredential[] = [];

  // Prepare: a relay accepting the old and new keys, the fake AWS CLI with every version the scenarios read, the
  // fixture Pester reads. Act: one Pester run of all scenarios (one pwsh start, 2 shared cores).
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ses-smtp-rotation-iis-'));
    relay = await startTestRelay('localhost');
    aws = createFakeAws(work, SECRET_ARN);
    const caFile = join(work, 'ca.pem');
    writeFileSync(caFile, relay.caPem);
    const versions: Record<string, { versionId: string; user?: string; pass?: string; masked?: string }> = {};
    const store = (name: string, secret: unknown, credential?: TestCredential) => {
      const versionId = randomUUID();
      aws.putVersion(versionId, typeof secret === 'string' ? secret : JSON.stringify(secret));
      versions[name] = { versionId, ...(credential && { ...credential, masked: masked(credential.user) }) };
      return versionId;
    };
    const secretOf = (c: TestCredential, extra: Record<string, unknown> = {}) => ({
      username: c.user,
      password: c.pass,
      region: 'eu-west-1',
      endpoint: 'localhost',
      port: relay.port,
      ...extra,
    });
    const [oldKey, newKey, rejectedKey] = [newCredential(), newCredential(), newCredential()];
    // A key with a password for the primary region (an endpoint the test cannot reach) and one for a DR region,
    // whose endpoint the local relay stands in for: it accepts only the DR password.
    const drPrimary = newCredential();
    const drKey: TestCredential = { user: drPrimary.user, pass: newCredential().pass };
    credentials.push(oldKey, newKey, rejectedKey, drPrimary, drKey);
    relay.accepted = [oldKey, newKey, drKey];
    aws.setStage('AWSCURRENT', store('old', secretOf(oldKey), oldKey));
    store('new', secretOf(newKey), newKey);
    store('rejected', secretOf(rejectedKey), rejectedKey);
    store('noPassword', { username: newKey.user, endpoint: 'localhost' });
    store('jsonString', JSON.stringify('just a string'));
    store('jsonArray', [secretOf(newKey)]);
    store('notJson', 'username=AKIA...');
    const drSecret = (drPassword: string) => ({
      ...secretOf(drPrimary, { endpoint: PRIMARY_ENDPOINT }),
      additionalRegions: [{ region: 'eu-central-1', endpoint: 'localhost', password: drPassword }],
    });
    store('dr', drSecret(drKey.pass), drKey);
    store('drBadPassword', drSecret('not-a-password'));
    const fixture = join(work, 'fixture.json');
    writeFileSync(
      fixture,
      JSON.stringify({
        stepText: stepScript(iisStep!),
        parameters: document.parameters,
        secretArn: SECRET_ARN,
        endpoint: 'localhost',
        primaryEndpoint: PRIMARY_ENDPOINT,
        drPrimary,
        relayPort: relay.port,
        versions,
        credentials: credentials.map(({ user, pass }) => ({ user, pass })),
        contract: {
          marker: RESULT_MARKER,
          secretArnPattern: DOCUMENT_PARAMETERS.SecretArn.allowedPattern,
          versionIdPattern: DOCUMENT_PARAMETERS.VersionId.allowedPattern,
        },
        awsCallsLog: join(work, 'calls.log'),
        workDir: work,
      }),
      { mode: 0o600 },
    );
    const summaryFile = join(work, 'summary.json');
    const nunitFile = join(work, 'pester.xml');
    run = await runPwsh(
      [
        '-File',
        join(PESTER_DIR, 'Invoke-PesterRun.ps1'),
        '-TestPath',
        join(PESTER_DIR, 'iis-update.Tests.ps1'),
        '-SummaryPath',
        summaryFile,
        '-NUnitPath',
        nunitFile,
      ],
      // The fake aws first on PATH; .NET on Linux takes its trusted roots from SSL_CERT_FILE (the test CA only).
      pwshEnv({ PATH: `${aws.binDir}:${process.env.PATH ?? ''}`, SSL_CERT_FILE: caFile, SES_IIS_FIXTURE: fixture }),
    );
    summary = JSON.parse(readFileSync(summaryFile, 'utf8').replace(/^\uFEFF/, '')) as PesterSummary;
    nunit = readFileSync(nunitFile, 'utf8');
  }, 300_000);

  afterAll(async () => {
    await relay?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs every Pester scenario under the expected PowerShell and Pester, and all pass', () => {
    const failures = summary.tests.filter((t) => t.result !== 'Passed').map((t) => `${t.path}: ${t.error}`);
    expect(failures).toEqual([]);
    expect(summary).toMatchObject({ result: 'Passed', failed: 0, containersFailed: 0 });
    expect(summary.powershell.startsWith(`${PWSH_VERSION}.`)).toBe(true);
    expect(summary.pester).toBe(PESTER_VERSION);
    expect(run.code).toBe(0);
    expect(nunit).toContain(`total="${summary.total}"`);
  });

  it.each([
    ['success on one server', /on the one server whose smart host is the endpoint/],
    ['success on several servers', /on several servers, and never on one with another smart host/],
    ['a retried command', /changes nothing and restarts nothing when the servers already hold the version/],
    ['an old agent', /old agent that only substitutes the placeholders/],
    ['relay rejection', /changes nothing when the relay rejects the new credential/],
    ['verification failure', /restores the previous credential on every server when the check after the swap fails/],
    ['a server that does not start', /restores the previous credential when a server does not start again/],
    ['rollback from AWSCURRENT', /restores the password from AWSCURRENT when WMI does not return it/],
    ['a missing virtual server', /changes nothing when a listed virtual server does not exist/],
    ['a secret without password', /changes nothing when the secret has no password field/],
    ['strict mode', /turns an error raised by strict mode after the swap into a failure with rollback/],
    ['the output scan', /never writes a password to any of the six streams/],
    ['a relay of the DR region', /installs the DR region's password on servers whose smart host is the DR endpoint/],
    ['relays of both regions on one host', /gives each server the password of its own smart host/],
    ['a host relaying to no endpoint of the secret', /names every endpoint of the secret when no server relays/],
    ['a malformed additional region', /an additional region has no valid password, and names the field/],
  ])('covers %s', (_what, name) => {
    const matching = summary.tests.filter((t) => name.test(t.name));
    expect(matching.length).toBeGreaterThan(0);
    expect(matching.every((t) => t.result === 'Passed')).toBe(true);
  });

  it('tries injection in every parameter', () => {
    for (const parameter of ['SecretArn', 'VersionId', 'IisVirtualServers', 'VerifyRelayAuth']) {
      const cases = summary.tests.filter(
        (t) => t.name.startsWith('refuses payload') && t.name.includes(` in ${parameter} `),
      );
      expect(cases.length).toBeGreaterThanOrEqual(5);
      expect(cases.every((t) => t.result === 'Passed')).toBe(true);
    }
  });

  it('authenticated to the relay with the new key and never sent a password on a command line', () => {
    expect(relay.authAttempts).toEqual(
      expect.arrayContaining([
        { user: credentials[1]!.user, ok: true },
        { user: credentials[2]!.user, ok: false },
      ]),
    );
    const calls = aws.calls();
    expect(calls.some((c) => c.includes('--version-stage AWSCURRENT'))).toBe(true);
    expectNoSecret(calls.join('\n'), credentials);
  });

  it('prints no password anywhere in the whole run (Pester output, errors, NUnit report)', () => {
    expectNoSecret(run.stdout + run.stderr + nunit, credentials);
  });
});

describeWithPowerShell('the IIS step as a process, like the agent runs it', () => {
  it('fails with one result line and exit 1 where Windows PowerShell and IIS are missing', async () => {
    // Prepare: the step text after the agent's substitution, as a file.
    const dir = mkdtempSync(join(tmpdir(), 'ses-smtp-rotation-iis-agent-'));
    try {
      const given = { SecretArn: SECRET_ARN, VersionId: randomUUID() };
      const file = join(dir, '_script.ps1');
      writeFileSync(file, renderStep(document, 'updateIisSmtp', resolveParameters(document, given)));
      // Act
      const result = await runPwsh(['-ExecutionPolicy', 'Bypass', '-File', file]);
      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout.trim()).toBe(
        `${RESULT_MARKER} status=failed mta=iis reason=no-iis rollback=not-needed key=-`,
      );
      expect(result.stderr).toContain('this step needs Windows PowerShell 5.1 (Get-WmiObject)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('fails, saying why, when a customized main writes to the pipeline besides its exit code', async () => {
    // Prepare: a customization that leaves a value on the pipeline.
    const dir = mkdtempSync(join(tmpdir(), 'ses-smtp-rotation-iis-agent-'));
    try {
      const file = join(dir, '_script.ps1');
      const text = stepScript(iisStep!).replace('function main {\n', "function main {\n  'a stray value'\n");
      expect(text).toContain("'a stray value'");
      writeFileSync(file, text);
      // Act
      const result = await runPwsh(
        ['-File', file],
        pwshEnv({ SSM_SecretArn: SECRET_ARN, SSM_VersionId: randomUUID() }),
      );
      // Assess
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('main returned more than its exit code');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
