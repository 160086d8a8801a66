import { RESULT_MARKER } from '../../src/core/document-contract';
import { maskKeyId } from '../../src/core/mask';
import { type MtaScenario, startMtaScenario } from './harness/mta-scenario';
import { createPostfixInstance, type PostfixInstance } from './harness/postfix-instance';
import { describeWithPostfix, expectNoSecretIn, newCredential, type TestCredential } from './harness/scenario';

// A relay of the disaster-recovery region: its relayhost is the additional region's endpoint (the local test
// relay stands in for email-smtp.eu-central-1.amazonaws.com), so it must install that region's password.
describeWithPostfix('Postfix step of the document, relay pointed at an additional region', () => {
  const OLD: TestCredential = newCredential();
  let s: MtaScenario<PostfixInstance>;

  beforeAll(async () => {
    s = await startMtaScenario(
      'localhost',
      (relay) => createPostfixInstance({ relayPort: relay.port, caPem: relay.caPem, mapType: 'hash' }),
      (pf) => `${pf.relayhost} ${OLD.user}:${OLD.pass}\n`,
      OLD,
    );
  });
  afterAll(async () => {
    await s?.destroy();
  });

  function reset(): void {
    s.mta.writeCredentials(`${s.mta.relayhost} ${OLD.user}:${OLD.pass}\n`);
    s.relay.accepted = [OLD];
  }

  it("installs the additional region's password when the relay host is that region's endpoint", async () => {
    // Prepare: the primary password is for eu-west-1; the relay (the DR endpoint) accepts only the DR password.
    reset();
    const primary = newCredential();
    const dr: TestCredential = { user: primary.user, pass: newCredential().pass };
    s.relay.accepted = [OLD, dr];
    const versionId = s.storeVersion(primary, 'email-smtp.eu-west-1.amazonaws.com', [
      { region: 'eu-central-1', endpoint: 'localhost', password: dr.pass },
    ]);

    // Act
    const run = await s.runStep(versionId);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('relay host localhost is the endpoint of additional region eu-central-1');
    expect(run.resultLine).toBe(
      `${RESULT_MARKER} status=updated mta=postfix key=${maskKeyId(dr.user)} relayhost=${s.mta.relayhost} ` +
        'map=hash auth=verified reload=done',
    );
    expect(s.mta.lookup()).toBe(`${dr.user}:${dr.pass}`);
    s.relay.accepted = [dr];
    expect(await s.deliver('through the DR endpoint')).toBe(dr.user);
    expectNoSecretIn(run, s.secretsUsed);

    // A second run finds the DR password installed: nothing to do (idempotent).
    const again = await s.runStep(versionId);
    expect(again.resultLine).toMatch(/ status=unchanged mta=postfix /);
  });

  it('changes nothing and names both endpoints when the relay host is neither', async () => {
    reset();
    const primary = newCredential();
    const versionId = s.storeVersion(primary, 'email-smtp.eu-west-1.amazonaws.com', [
      { region: 'eu-central-1', endpoint: 'email-smtp.eu-central-1.amazonaws.com', password: newCredential().pass },
    ]);

    const run = await s.runStep(versionId);

    expect(run.code).toBe(1);
    expect(run.resultLine).toMatch(/ status=failed mta=postfix reason=endpoint-mismatch /);
    expect(run.stderr).toContain(
      "email-smtp.eu-west-1.amazonaws.com or an additional region's endpoint (email-smtp.eu-central-1.amazonaws.com)",
    );
    expect(s.mta.lookup()).toBe(`${OLD.user}:${OLD.pass}`);
    expectNoSecretIn(run, s.secretsUsed);
  });

  it('still installs the primary password when the relay host is the primary endpoint', async () => {
    reset();
    const primary = newCredential();
    s.relay.accepted = [OLD, primary];
    const versionId = s.storeVersion(primary, 'localhost', [
      { region: 'eu-central-1', endpoint: 'email-smtp.eu-central-1.amazonaws.com', password: newCredential().pass },
    ]);

    const run = await s.runStep(versionId);

    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('additional region');
    expect(s.mta.lookup()).toBe(`${primary.user}:${primary.pass}`);
    expectNoSecretIn(run, s.secretsUsed);
  });
});
