import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULT_MARKER } from '../../src/core/document-contract';
import { maskKeyId } from '../../src/core/mask';
import { describeMtaUpdateContract } from './harness/mta-contract';
import { postfixUnderTest } from './harness/postfix-instance';
import { describeWithPostfix, expectNoSecretIn, newCredential } from './harness/scenario';

// One real Postfix (hash map) for this file, relaying with SASL over verified STARTTLS to a local relay.
describeWithPostfix('Postfix step of the document (hash map, real Postfix)', () => {
  const host = describeMtaUpdateContract(postfixUnderTest('hash'));
  const { OLD } = host;

  it('restores the previous map and reloads when the reload after the swap fails', async () => {
    // Prepare: a postfix wrapper whose first "reload" fails, as a broken main.cf would make it.
    const text = host.reset();
    const NEW = newCredential();
    host.s.relay.accepted = [OLD, NEW];
    const wrapperDir = join(host.s.mta.dir, 'failing-reload');
    mkdirSync(wrapperDir, { recursive: true });
    const flag = join(wrapperDir, 'failed-once');
    writeFileSync(
      join(wrapperDir, 'postfix'),
      `#!/bin/sh\nif [ "$1" = reload ] && [ ! -e '${flag}' ]; then : > '${flag}'; exit 1; fi\nexec /usr/sbin/postfix "$@"\n`,
    );
    chmodSync(join(wrapperDir, 'postfix'), 0o755);

    // Act
    const run = await host.s.runStep(host.s.storeVersion(NEW), { pathPrefix: [wrapperDir] });

    // Assess
    expect(run.code).toBe(1);
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=failed mta=postfix reason=reload rollback=done key=${maskKeyId(NEW.user)}`,
    );
    host.expectInstalled(text);
    expect(host.s.mta.lookup()).toBe(`${OLD.user}:${OLD.pass}`);
    host.s.relay.accepted = [OLD];
    expect(await host.s.deliver('after rolled back rotation')).toBe(OLD.user);
    expectNoSecretIn(run, host.s.secretsUsed);
  });

  it('refuses a secret whose endpoint is not the relayhost', async () => {
    // Prepare
    const text = host.reset();

    // Act
    const run = await host.s.runStep(host.s.storeVersion(newCredential(), 'email-smtp.eu-west-1.amazonaws.com'));

    // Assess
    expect(run.code).toBe(1);
    expect(run.resultLine).toMatch(/ status=failed mta=postfix reason=endpoint-mismatch /);
    expect(run.stderr).toContain(
      `relayhost is ${host.s.mta.relayhost} but the secret is for email-smtp.eu-west-1.amazonaws.com`,
    );
    host.expectInstalled(text);
    expectNoSecretIn(run, host.s.secretsUsed);
  });

  it('finds the instance through the PostfixConfigDir parameter', async () => {
    // Prepare: no MAIL_CONFIG in the step's environment.
    host.reset();
    const NEW = newCredential();
    host.s.relay.accepted = [OLD, NEW];

    // Act
    const run = await host.s.runStep(host.s.storeVersion(NEW), {
      withoutEnvironment: true,
      parameters: { PostfixConfigDir: host.s.mta.configDir },
    });

    // Assess
    expect(run.code).toBe(0);
    expect(host.s.mta.lookup()).toBe(`${NEW.user}:${NEW.pass}`);
  });

  it('installs without the relay AUTH test when VerifyRelayAuth is no, and says so', async () => {
    // Prepare
    host.reset();
    const NEW = newCredential();
    host.s.relay.accepted = [NEW];
    const attempts = host.s.relay.authAttempts.length;

    // Act
    const run = await host.s.runStep(host.s.storeVersion(NEW), { parameters: { VerifyRelayAuth: 'no' } });

    // Assess
    expect(run.code).toBe(0);
    expect(run.resultLine).toContain(' auth=skipped ');
    expect(host.s.relay.authAttempts.length).toBe(attempts);
    expect(await host.s.deliver('unverified rotation')).toBe(NEW.user);
  });
});
