import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULT_MARKER } from '../../src/core/document-contract';
import { maskKeyId } from '../../src/core/mask';
import { injectionScenarios } from './harness/injection';
import { type MtaScenario, startMtaScenario } from './harness/mta-scenario';
import { describeWithPeer } from './harness/peers';
import { expectNoSecretIn, newCredential, SECRET_ARN, type TestCredential } from './harness/scenario';
import { createSendmailInstance, SENDMAIL_RELAY_NAME } from './harness/sendmail-instance';

// One real Sendmail 8 (Debian's binaries, sendmail.cf built by m4 from Debian's sendmail-cf) for this file,
// relaying through SMART_HOST with AUTH (FEATURE(authinfo), a hash map built by makemap) over STARTTLS.
describeWithPeer('sendmail', 'Sendmail step of the document (real Sendmail 8, authinfo map)', () => {
  const OLD: TestCredential = newCredential();
  let s: MtaScenario;
  const entry = (cred: TestCredential) =>
    `AuthInfo:${SENDMAIL_RELAY_NAME} "U:root" "I:${cred.user}" "P:${cred.pass}" "M:PLAIN"`;
  const authinfoText = (cred: TestCredential) =>
    [
      '# SES relay credentials',
      'AuthInfo:backup.example.net "U:root" "I:backupuser" "P:backup-password" "M:PLAIN"',
      entry(cred),
      '',
    ].join('\n');

  beforeAll(async () => {
    s = await startMtaScenario(
      SENDMAIL_RELAY_NAME,
      (relay) => createSendmailInstance({ relayPort: relay.port, caPem: relay.caPem }),
      () => authinfoText(OLD),
      OLD,
    );
  }, 30_000);
  afterAll(async () => {
    await s?.destroy();
  });

  function resetHost(): string {
    const text = authinfoText(OLD);
    s.mta.writeCredentials(text);
    s.relay.accepted = [OLD];
    if (!s.mta.running()) s.mta.start();
    return text;
  }
  const mapFiles = () => readdirSync(join(s.mta.dir, 'etc')).filter((f) => f.includes('authinfo'));
  const relayhost = () => `${SENDMAIL_RELAY_NAME}:${s.relay.port}`;

  it('installs the new credential, keeps the other entries, and Sendmail relays with it after its reload', async () => {
    // Prepare
    resetHost();
    expect(await s.deliver('sendmail before rotation')).toBe(OLD.user);
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
      `${RESULT_MARKER} status=updated mta=sendmail key=${maskKeyId(NEW.user)} relayhost=${relayhost()} map=hash ` +
        'auth=verified reload=done',
    );
    expect(readFileSync(s.mta.credentialFile, 'utf8')).toBe(authinfoText(NEW));
    expect(s.mta.lookup()).toBe(`${NEW.user}:${NEW.pass}`);
    expect(mapFiles().sort()).toEqual(['authinfo', 'authinfo.db']);
    for (const f of mapFiles()) {
      const file = join(s.mta.dir, 'etc', f);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file).includes(OLD.pass)).toBe(false);
    }
    s.relay.accepted = [NEW];
    expect(await s.deliver('sendmail after rotation')).toBe(NEW.user);
    expect(s.aws.calls().at(-1)).toBe(
      `secretsmanager get-secret-value --secret-id ${SECRET_ARN} --version-id ${versionId} ` +
        '--region eu-west-1 --query SecretString --output text',
    );
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('reports unchanged and touches nothing when the map already holds the version', async () => {
    // Prepare
    resetHost();
    const before = statSync(`${s.mta.credentialFile}.db`);

    // Act
    const run = await s.runStep(s.storeVersion(OLD));

    // Assess
    expect(run.code).toBe(0);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=unchanged mta=sendmail key=${maskKeyId(OLD.user)} relayhost=${relayhost()} map=hash`,
    );
    expect(statSync(`${s.mta.credentialFile}.db`).ino).toBe(before.ino);
  });

  it('refuses a credential the relay rejects, changes nothing, and mail keeps flowing with the old one', async () => {
    // Prepare
    const text = resetHost();
    const dbBefore = readFileSync(`${s.mta.credentialFile}.db`);
    const BAD = newCredential();

    // Act
    const run = await s.runStep(s.storeVersion(BAD));

    // Assess
    expect(run.code).toBe(1);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=failed mta=sendmail reason=relay-rejected rollback=not-needed key=${maskKeyId(BAD.user)}`,
    );
    expect(readFileSync(s.mta.credentialFile, 'utf8')).toBe(text);
    expect(readFileSync(`${s.mta.credentialFile}.db`).equals(dbBefore)).toBe(true);
    expect(mapFiles().sort()).toEqual(['authinfo', 'authinfo.db']);
    expect(await s.deliver('sendmail after refused rotation')).toBe(OLD.user);
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
      `${RESULT_MARKER} status=failed mta=sendmail reason=fetch-secret rollback=not-needed key=-`,
    );
    expect(run.stderr).toContain('secretsmanager:GetSecretValue');
    expect(readFileSync(s.mta.credentialFile, 'utf8')).toBe(text);
  });

  it('puts the previous pair back when the swap fails half-way (an unexpected error)', async () => {
    // Prepare: an mv whose second call (the source, after the map) fails.
    const text = resetHost();
    const NEW = newCredential();
    s.relay.accepted = [OLD, NEW];
    const wrapperDir = join(s.mta.dir, 'failing-mv');
    mkdirSync(wrapperDir, { recursive: true });
    const count = join(wrapperDir, 'count');
    writeFileSync(
      join(wrapperDir, 'mv'),
      `#!/bin/sh\necho x >> '${count}'\n[ "$(wc -l < '${count}')" -eq 2 ] && exit 1\nexec /usr/bin/mv "$@"\n`,
    );
    chmodSync(join(wrapperDir, 'mv'), 0o755);

    // Act
    const run = await s.runStep(s.storeVersion(NEW), { pathPrefix: [wrapperDir] });

    // Assess
    expect(run.code).toBe(1);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=failed mta=sendmail reason=unexpected rollback=done key=${maskKeyId(NEW.user)}`,
    );
    expect(readFileSync(s.mta.credentialFile, 'utf8')).toBe(text);
    expect(s.mta.lookup()).toBe(`${OLD.user}:${OLD.pass}`);
    expect(mapFiles().sort()).toEqual(['authinfo', 'authinfo.db']);
    s.relay.accepted = [OLD];
    expect(await s.deliver('sendmail after failed swap')).toBe(OLD.user);
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('installs without a reload while the daemon is stopped, and the daemon uses it once started', async () => {
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
    expect(run.resultLine).toMatch(/ status=updated mta=sendmail .* reload=not-running$/);
    expect(await s.deliver('sendmail after restart')).toBe(NEW.user);
  });

  it('fails clearly on a host without Sendmail', async () => {
    // Act
    const run = await s.runStep(s.storeVersion(newCredential()), { withoutMta: true });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Sendmail is not installed on this host (makemap not found on PATH)');
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=failed mta=sendmail reason=no-sendmail rollback=not-needed key=-`,
    );
  });

  it('picks Sendmail by itself (Mta=auto) when it is the only mail server', async () => {
    // Prepare
    resetHost();
    const NEW = newCredential();
    s.relay.accepted = [OLD, NEW];

    // Act
    const run = await s.runStep(s.storeVersion(NEW), { parameters: { Mta: 'auto' } });

    // Assess
    expect(run.code).toBe(0);
    expect(run.resultLine).toMatch(/ status=updated mta=sendmail /);
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
