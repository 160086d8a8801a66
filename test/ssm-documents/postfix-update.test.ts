import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULT_MARKER } from '../../src/core/document-contract';
import { maskKeyId } from '../../src/core/mask';
import {
  describeWithPostfix,
  expectNoSecretIn,
  newCredential,
  SECRET_ARN,
  startScenario,
  type Scenario,
  type TestCredential,
} from './harness/scenario';

// One real Postfix (hash map) for this file, relaying with SASL over verified STARTTLS to a local relay.
describeWithPostfix('Postfix step of the document (hash map, real Postfix)', () => {
  const OLD: TestCredential = newCredential();
  let s: Scenario;

  beforeAll(async () => {
    s = await startScenario('hash', OLD);
  });
  afterAll(async () => {
    await s?.destroy();
  });

  /** Puts the host back to "configured with OLD", with other entries around the relayhost one. */
  function resetHost(): string {
    const text = [
      '# SES relay credentials (managed by ses-smtp-rotation)',
      '[backup.example.net]:587\tbackupuser:backup-password',
      `${s.postfix.relayhost} ${OLD.user}:${OLD.pass}`,
      '[other.example.net] otheruser:',
      '    other-password-continued',
      '',
    ].join('\n');
    s.postfix.writeMap(text);
    s.relay.accepted = [OLD];
    return text;
  }

  function mapFiles(): string[] {
    return readdirSync(s.postfix.configDir).filter((f) => f.startsWith('sasl_passwd') || f.startsWith('.sasl'));
  }

  it('installs the new credential, keeps the other entries, and Postfix relays with it', async () => {
    // Prepare
    resetHost();
    expect(await s.deliver('before rotation')).toBe(OLD.user);
    const NEW = newCredential();
    s.relay.accepted = [OLD, NEW]; // SES accepts both keys while the rotation runs.
    const versionId = s.storeVersion(NEW);
    const attempts = s.relay.authAttempts.length;

    // Act
    const run = await s.runStep(versionId);

    // Assess
    expect(run.stderr).toBe('');
    expect(s.relay.authAttempts.slice(attempts, attempts + 1)).toEqual([{ user: NEW.user, ok: true }]);
    expect(run.code).toBe(0);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=updated mta=postfix key=${maskKeyId(NEW.user)} relayhost=${s.postfix.relayhost} ` +
        'map=hash auth=verified reload=done',
    );
    expect(s.postfix.lookup()).toBe(`${NEW.user}:${NEW.pass}`);
    const source = readFileSync(s.postfix.mapPath, 'utf8');
    expect(source).toBe(
      [
        '# SES relay credentials (managed by ses-smtp-rotation)',
        '[backup.example.net]:587\tbackupuser:backup-password',
        `${s.postfix.relayhost} ${NEW.user}:${NEW.pass}`,
        '[other.example.net] otheruser:',
        '    other-password-continued',
        '',
      ].join('\n'),
    );
    expect(mapFiles().sort()).toEqual(['sasl_passwd', 'sasl_passwd.db']);
    for (const f of mapFiles()) expect(statSync(join(s.postfix.configDir, f)).mode & 0o777).toBe(0o600);
    s.relay.accepted = [NEW]; // The old key is retired: mail must still flow.
    expect(await s.deliver('after rotation')).toBe(NEW.user);
    expect(s.aws.calls().at(-1)).toBe(
      `secretsmanager get-secret-value --secret-id ${SECRET_ARN} --version-id ${versionId} ` +
        '--region eu-west-1 --query SecretString --output text',
    );
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('reports unchanged and touches nothing when the map already holds the version (a retried command)', async () => {
    // Prepare
    resetHost();
    const versionId = s.storeVersion(OLD);
    const before = statSync(`${s.postfix.mapPath}.db`).mtimeMs;

    // Act
    const run = await s.runStep(versionId);

    // Assess
    expect(run.code).toBe(0);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=unchanged mta=postfix key=${maskKeyId(OLD.user)} relayhost=${s.postfix.relayhost} map=hash`,
    );
    expect(statSync(`${s.postfix.mapPath}.db`).mtimeMs).toBe(before);
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('refuses a credential the relay rejects, changes nothing, and mail keeps flowing with the old one', async () => {
    // Prepare
    const text = resetHost();
    const indexBefore = readFileSync(`${s.postfix.mapPath}.db`);
    const BAD = newCredential(); // Not accepted by the relay (e.g. derived for another region).
    const versionId = s.storeVersion(BAD);

    // Act
    const run = await s.runStep(versionId);

    // Assess
    expect(run.code).toBe(1);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=failed mta=postfix reason=relay-rejected rollback=not-needed key=${maskKeyId(BAD.user)}`,
    );
    expect(run.stderr).toContain('rejected the new credential (SMTP AUTH: 535 Authentication Credentials Invalid)');
    expect(readFileSync(s.postfix.mapPath, 'utf8')).toBe(text);
    expect(readFileSync(`${s.postfix.mapPath}.db`).equals(indexBefore)).toBe(true);
    expect(mapFiles().sort()).toEqual(['sasl_passwd', 'sasl_passwd.db']);
    expect(await s.deliver('after refused rotation')).toBe(OLD.user);
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('restores the previous map and reloads when the reload after the swap fails', async () => {
    // Prepare: a postfix wrapper whose first "reload" fails, as a broken main.cf would make it.
    const text = resetHost();
    const NEW = newCredential();
    s.relay.accepted = [OLD, NEW];
    const versionId = s.storeVersion(NEW);
    const wrapperDir = join(s.postfix.dir, 'failing-reload');
    mkdirSync(wrapperDir, { recursive: true });
    const flag = join(wrapperDir, 'failed-once');
    writeFileSync(
      join(wrapperDir, 'postfix'),
      `#!/bin/sh\nif [ "$1" = reload ] && [ ! -e '${flag}' ]; then : > '${flag}'; exit 1; fi\nexec /usr/sbin/postfix "$@"\n`,
    );
    chmodSync(join(wrapperDir, 'postfix'), 0o755);

    // Act
    const run = await s.runStep(versionId, { pathPrefix: [wrapperDir] });

    // Assess
    expect(run.code).toBe(1);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=failed mta=postfix reason=reload rollback=done key=${maskKeyId(NEW.user)}`,
    );
    expect(readFileSync(s.postfix.mapPath, 'utf8')).toBe(text);
    expect(s.postfix.lookup()).toBe(`${OLD.user}:${OLD.pass}`);
    expect(mapFiles().sort()).toEqual(['sasl_passwd', 'sasl_passwd.db']);
    s.relay.accepted = [OLD];
    expect(await s.deliver('after rolled back rotation')).toBe(OLD.user);
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('restores the previous pair when the swap fails half-way (an unexpected error)', async () => {
    // Prepare: an mv whose second call (renaming the new source over the old) fails.
    const text = resetHost();
    const NEW = newCredential();
    s.relay.accepted = [OLD, NEW];
    const versionId = s.storeVersion(NEW);
    const wrapperDir = join(s.postfix.dir, 'failing-mv');
    mkdirSync(wrapperDir, { recursive: true });
    const count = join(wrapperDir, 'count');
    writeFileSync(
      join(wrapperDir, 'mv'),
      `#!/bin/sh\necho x >> '${count}'\n[ "$(wc -l < '${count}')" -eq 2 ] && exit 1\nexec /usr/bin/mv "$@"\n`,
    );
    chmodSync(join(wrapperDir, 'mv'), 0o755);

    // Act
    const run = await s.runStep(versionId, { pathPrefix: [wrapperDir] });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unexpected failure \(exit 1\) at line \d+: mv -f "\$new" "\$live" before/);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=failed mta=postfix reason=unexpected rollback=done key=${maskKeyId(NEW.user)}`,
    );
    expect(readFileSync(s.postfix.mapPath, 'utf8')).toBe(text);
    expect(s.postfix.lookup()).toBe(`${OLD.user}:${OLD.pass}`);
    expect(mapFiles().sort()).toEqual(['sasl_passwd', 'sasl_passwd.db']);
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
      `${RESULT_MARKER} status=failed mta=postfix reason=fetch-secret rollback=not-needed key=-`,
    );
    expect(run.stderr).toContain('ResourceNotFoundException');
    expect(run.stderr).toContain('secretsmanager:GetSecretValue');
    expect(readFileSync(s.postfix.mapPath, 'utf8')).toBe(text);
  });

  it('refuses a secret whose endpoint is not the relayhost', async () => {
    // Prepare
    const text = resetHost();
    const versionId = s.storeVersion(newCredential(), 'email-smtp.eu-west-1.amazonaws.com');

    // Act
    const run = await s.runStep(versionId);

    // Assess
    expect(run.code).toBe(1);
    expect(run.resultLine).toMatch(/ status=failed mta=postfix reason=endpoint-mismatch /);
    expect(run.stderr).toContain(
      `relayhost is ${s.postfix.relayhost} but the secret is for email-smtp.eu-west-1.amazonaws.com`,
    );
    expect(readFileSync(s.postfix.mapPath, 'utf8')).toBe(text);
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('works on an agent older than ENV_VAR support (text substitution only)', async () => {
    // Prepare
    resetHost();
    const NEW = newCredential();
    s.relay.accepted = [OLD, NEW];
    const versionId = s.storeVersion(NEW);

    // Act
    const run = await s.runStep(versionId, { legacyAgent: true });

    // Assess
    expect(run.code).toBe(0);
    expect(run.resultLine).toMatch(/ status=updated /);
    expect(s.postfix.lookup()).toBe(`${NEW.user}:${NEW.pass}`);
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('finds the instance through the PostfixConfigDir parameter', async () => {
    // Prepare
    resetHost();
    const NEW = newCredential();
    s.relay.accepted = [OLD, NEW];
    const versionId = s.storeVersion(NEW);

    // Act
    const run = await s.runStep(versionId, {
      withoutMailConfig: true,
      parameters: { PostfixConfigDir: s.postfix.configDir },
    });

    // Assess
    expect(run.code).toBe(0);
    expect(s.postfix.lookup()).toBe(`${NEW.user}:${NEW.pass}`);
  });

  it('installs without the relay AUTH test when VerifyRelayAuth is no, and says so', async () => {
    // Prepare
    resetHost();
    const NEW = newCredential();
    s.relay.accepted = [NEW];
    const attempts = s.relay.authAttempts.length;
    const versionId = s.storeVersion(NEW);

    // Act
    const run = await s.runStep(versionId, { parameters: { VerifyRelayAuth: 'no' } });

    // Assess
    expect(run.code).toBe(0);
    expect(run.resultLine).toContain(' auth=skipped ');
    expect(s.relay.authAttempts.length).toBe(attempts);
    expect(await s.deliver('unverified rotation')).toBe(NEW.user);
  });

  it('fails clearly on a host without Postfix', async () => {
    // Prepare: a PATH with the usual tools but no Postfix commands.
    const bin = join(s.postfix.dir, 'no-postfix-bin');
    mkdirSync(bin, { recursive: true });
    // Act
    const run = await s.runStep(s.storeVersion(newCredential()), {
      path: `${bin}:/usr/bin:/bin`,
      parameters: { Mta: 'postfix' },
    });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Postfix is not installed on this host (postconf not found on PATH)');
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=failed mta=postfix reason=no-postfix rollback=not-needed key=-`,
    );
  });
});
