import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULT_MARKER } from '../../src/core/document-contract';
import { maskKeyId } from '../../src/core/mask';
import { createEximInstance } from './harness/exim-instance';
import { type MtaScenario, startMtaScenario } from './harness/mta-scenario';
import { describeWithPeer } from './harness/peers';
import { expectNoSecretIn, newCredential, SECRET_ARN, type TestCredential } from './harness/scenario';
import { injectionScenarios } from './harness/injection';

// One real Exim (Debian's package, its own exim4.conf.template through update-exim4.conf) for this file, relaying
// with AUTH over verified STARTTLS to a local relay; credentials in passwd.client as Debian documents them.
describeWithPeer('exim', 'Exim step of the document (real Exim 4, Debian configuration)', () => {
  const OLD: TestCredential = newCredential();
  let s: MtaScenario;
  const passwdText = (cred: TestCredential) =>
    [
      '# password file used when the local exim is authenticating to a remote host as a client.',
      'backup.example.net:backupuser:backup-password',
      `localhost:${cred.user}:${cred.pass}`,
      '',
    ].join('\n');

  beforeAll(async () => {
    s = await startMtaScenario(
      'localhost',
      (relay) => createEximInstance({ relayPort: relay.port, caPem: relay.caPem }),
      () => passwdText(OLD),
      OLD,
    );
  }, 30_000);
  afterAll(async () => {
    await s?.destroy();
  });

  function resetHost(): string {
    const text = passwdText(OLD);
    s.mta.writeCredentials(text);
    s.relay.accepted = [OLD];
    if (!s.mta.running()) s.mta.start();
    return text;
  }
  const etcFiles = () => readdirSync(join(s.mta.dir, 'etc')).filter((f) => f.includes('passwd') || f.startsWith('.'));

  it('installs the new credential, keeps the other entries, and Exim relays with it', async () => {
    // Prepare
    resetHost();
    expect(await s.deliver('exim before rotation')).toBe(OLD.user);
    const NEW = newCredential();
    s.relay.accepted = [OLD, NEW];
    const versionId = s.storeVersion(NEW);
    const attempts = s.relay.authAttempts.length;

    // Act
    const run = await s.runStep(versionId);

    // Assess
    expect(run.stderr).toBe('');
    expect(s.relay.authAttempts.slice(attempts, attempts + 1)).toEqual([{ user: NEW.user, ok: true }]);
    expect(run.code).toBe(0);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=updated mta=exim key=${maskKeyId(NEW.user)} relayhost=localhost:${s.relay.port} ` +
        `file=${s.mta.credentialFile} auth=verified reload=not-needed`,
    );
    expect(readFileSync(s.mta.credentialFile, 'utf8')).toBe(passwdText(NEW));
    const mode = statSync(s.mta.credentialFile);
    expect(mode.mode & 0o777).toBe(0o640);
    expect(mode.uid).toBe(0);
    expect(etcFiles()).toEqual(['passwd.client']);
    s.relay.accepted = [NEW]; // the old key is retired: mail must still flow, without any reload
    expect(await s.deliver('exim after rotation')).toBe(NEW.user);
    expect(s.aws.calls().at(-1)).toBe(
      `secretsmanager get-secret-value --secret-id ${SECRET_ARN} --version-id ${versionId} ` +
        '--region eu-west-1 --query SecretString --output text',
    );
    for (const f of readdirSync(join(s.mta.dir, 'etc'))) {
      const file = join(s.mta.dir, 'etc', f);
      if (statSync(file).isFile()) expect(readFileSync(file, 'utf8')).not.toContain(OLD.pass);
    }
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('reports unchanged and touches nothing when passwd.client already holds the version', async () => {
    // Prepare
    resetHost();
    const before = statSync(s.mta.credentialFile);

    // Act
    const run = await s.runStep(s.storeVersion(OLD));

    // Assess
    expect(run.code).toBe(0);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=unchanged mta=exim key=${maskKeyId(OLD.user)} relayhost=localhost:${s.relay.port} ` +
        `file=${s.mta.credentialFile}`,
    );
    expect(statSync(s.mta.credentialFile).ino).toBe(before.ino);
  });

  it('refuses a credential the relay rejects, changes nothing, and mail keeps flowing with the old one', async () => {
    // Prepare
    const text = resetHost();
    const BAD = newCredential();

    // Act
    const run = await s.runStep(s.storeVersion(BAD));

    // Assess
    expect(run.code).toBe(1);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=failed mta=exim reason=relay-rejected rollback=not-needed key=${maskKeyId(BAD.user)}`,
    );
    expect(run.stderr).toContain('rejected the new credential (SMTP AUTH: 535 Authentication Credentials Invalid)');
    expect(readFileSync(s.mta.credentialFile, 'utf8')).toBe(text);
    expect(etcFiles()).toEqual(['passwd.client']);
    expect(await s.deliver('exim after refused rotation')).toBe(OLD.user);
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('fails with the permission to grant when the version cannot be read', async () => {
    // Prepare
    const text = resetHost();

    // Act
    const run = await s.runStep('0b5e7c1a-9d7f-4a53-8a8e-2f8f5c1c0000');

    // Assess
    expect(run.code).toBe(1);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=failed mta=exim reason=fetch-secret rollback=not-needed key=-`,
    );
    expect(run.stderr).toContain('secretsmanager:GetSecretValue');
    expect(readFileSync(s.mta.credentialFile, 'utf8')).toBe(text);
  });

  it('puts the previous file back when the swap fails (an unexpected error)', async () => {
    // Prepare: an mv that fails, as a full or read-only file system would make it.
    const text = resetHost();
    const NEW = newCredential();
    s.relay.accepted = [OLD, NEW];
    const wrapperDir = join(s.mta.dir, 'failing-mv');
    mkdirSync(wrapperDir, { recursive: true });
    writeFileSync(join(wrapperDir, 'mv'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(wrapperDir, 'mv'), 0o755);

    // Act
    const run = await s.runStep(s.storeVersion(NEW), { pathPrefix: [wrapperDir] });

    // Assess
    expect(run.code).toBe(1);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=failed mta=exim reason=unexpected rollback=done key=${maskKeyId(NEW.user)}`,
    );
    expect(readFileSync(s.mta.credentialFile, 'utf8')).toBe(text);
    expect(etcFiles()).toEqual(['passwd.client']);
    s.relay.accepted = [OLD];
    expect(await s.deliver('exim after failed swap')).toBe(OLD.user);
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('installs while the daemon is stopped, and the daemon uses the new credential once started', async () => {
    // Prepare
    resetHost();
    s.mta.stop();
    const NEW = newCredential();
    s.relay.accepted = [NEW];

    // Act
    const run = await s.runStep(s.storeVersion(NEW));
    s.mta.start();

    // Assess
    expect(run.code).toBe(0);
    expect(run.resultLine).toMatch(/ status=updated mta=exim /);
    expect(s.mta.lookup()).toBe(`${NEW.user}:${NEW.pass}`);
    expect(await s.deliver('exim after restart')).toBe(NEW.user);
  });

  it('works on an agent older than ENV_VAR support (text substitution only)', async () => {
    // Prepare
    resetHost();
    const NEW = newCredential();
    s.relay.accepted = [OLD, NEW];

    // Act
    const run = await s.runStep(s.storeVersion(NEW), { legacyAgent: true });

    // Assess
    expect(run.code).toBe(0);
    expect(run.resultLine).toMatch(/ status=updated mta=exim /);
    expect(s.mta.lookup()).toBe(`${NEW.user}:${NEW.pass}`);
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('fails clearly on a host without Exim', async () => {
    // Act
    const run = await s.runStep(s.storeVersion(newCredential()), { withoutMta: true });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Exim is not installed on this host (exim4 not found on PATH)');
    expect(run.resultLine).toBe(`${RESULT_MARKER} status=failed mta=exim reason=no-exim rollback=not-needed key=-`);
  });

  it('picks Exim by itself (Mta=auto) when it is the only mail server', async () => {
    // Prepare
    resetHost();
    const NEW = newCredential();
    s.relay.accepted = [OLD, NEW];

    // Act
    const run = await s.runStep(s.storeVersion(NEW), { parameters: { Mta: 'auto' } });

    // Assess
    expect(run.code).toBe(0);
    expect(run.resultLine).toMatch(/ status=updated mta=exim /);
  });

  it('refuses to guess (Mta=auto) when Postfix is installed too', async () => {
    // Prepare: this machine's Postfix is in /usr/sbin.
    const text = resetHost();

    // Act
    const run = await s.runStep(s.storeVersion(newCredential()), {
      parameters: { Mta: 'auto' },
      basePath: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('several mail servers are installed (postfix exim): set the Mta parameter');
    expect(run.resultLine).toBe(`${RESULT_MARKER} status=failed mta=- reason=ambiguous-mta rollback=not-needed key=-`);
    expect(readFileSync(s.mta.credentialFile, 'utf8')).toBe(text);
  });

  it.each(injectionScenarios())(
    'refuses an injected %s even when it got past the pattern',
    async (name, value, marker) => {
      // Prepare
      const text = resetHost();

      // Act
      const run = await s.runStep(s.storeVersion(newCredential()), { parameters: { [name]: value }, relaxed: true });

      // Assess
      expect(run.code).toBe(1);
      expect(run.resultLine).toMatch(/ status=failed mta=\S+ reason=bad-parameter rollback=not-needed /);
      expect(existsSync(marker)).toBe(false);
      expect(readFileSync(s.mta.credentialFile, 'utf8')).toBe(text);
    },
  );
});
